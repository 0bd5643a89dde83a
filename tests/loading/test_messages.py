"""A data file's error is one line a person can read, whatever the damaged value holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from trpkit.loading.errors import DataFileError
from trpkit.paths import checklists_dir


def test_a_value_holding_a_newline_is_shown_escaped_on_one_line(tmp_path: Path) -> None:
    from trpkit.loading.document_checklists import load_checklist

    source = checklists_dir() / "documents-owp-trp-holder.toml"
    text = source.read_text(encoding="utf-8")
    damaged = text.replace('verification = "', 'verification = "odd\\nvalue', 1)
    assert damaged != text
    path = tmp_path / source.name
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_checklist(path)
    message = str(caught.value)
    assert "\n" not in message and "odd\\nvalue" in message
