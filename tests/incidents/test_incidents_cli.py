"""The incident commands as a person runs them, in-process: new, list, show, edit, export, import, bulletin."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document

from tests.conftest import TEST_PASSPHRASE, _make_actor
from trpkit.cli import cli
from trpkit.db.database import open_target
from trpkit.db.engine import Target
from trpkit.db.vault import VaultKey


def _vault(tmp_path: Path, template: tuple[Path, VaultKey], name: str, user: str) -> Path:
    path = tmp_path / f"{name}.trpvault"
    shutil.copy(template[0], path)
    database = open_target(Target(vault_path=path), key=template[1])
    _make_actor(database, user, "supervisor")
    database.close()
    return path


@pytest.fixture
def vaults(tmp_path: Path, _template_vault: tuple[Path, VaultKey]) -> tuple[Path, Path]:
    return _vault(tmp_path, _template_vault, "ngo", "ana"), _vault(
        tmp_path, _template_vault, "coord", "coord"
    )


def run(vault: Path, *args: str) -> Result:
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "TRPKIT_DEBUG": ""}
    return CliRunner().invoke(cli, ["--vault", str(vault), *args], env=env, catch_exceptions=False)


def ok(vault: Path, *args: str) -> str:
    result = run(vault, *args)
    assert result.exit_code == 0, result.output + (result.stderr if result.stderr_bytes else "")
    return result.stdout


NEW = (
    "incident", "new", "--title", "Workers detained after a raid", "--when", "early March 2026",
    "--place", "windsor sarnia", "--sector", "agriculture", "--people", "10-24", "--framing", "smuggling",
    "--fact", "debt,documents_held", "--known", "Large debts to a recruiter.", "--ask", "call_for_information",
    "--source", "public_link=https://news.example/raid", "--source", "own_accompaniment",
)  # fmt: skip


def test_new_list_show_edit(vaults: tuple[Path, Path]) -> None:
    ngo, _ = vaults
    ref = ok(ngo, *NEW).strip()
    listed = json.loads(ok(ngo, "incident", "list", "--json"))
    assert [i["ref"] for i in listed] == [ref] and listed[0]["place_name"] == "Windsor--Sarnia"
    assert "open call for information" in ok(ngo, "incident", "list")
    shown = ok(ngo, "incident", "show", ref)
    assert "How large are the debts" in shown and "Framed as smuggling, yet reported facts" in shown
    edited = json.loads(ok(ngo, "incident", "edit", ref, "--framing", "trafficking", "--json"))
    assert edited["incident"]["framing_history"] == ["smuggling"] and edited["framing_changed"]
    data = json.loads(ok(ngo, "incident", "show", ref, "--json"))
    assert data["incident"]["sequence"] == 2 and len(data["second_look"]["items"]) == 5
    assert json.loads(ok(ngo, "incident", "list", "--place", "Québec", "--json")) == []


def test_bad_input_is_one_line(vaults: tuple[Path, Path]) -> None:
    ngo, _ = vaults
    result = run(ngo, "incident", "new", "--title", "x", "--place", "Torontto")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Closest: Toronto (ER-3530)" in result.stderr
    kept = run(ngo, "incident", "new", "--title", "x", "--place", "Ottawa", "--when", "the week of the storm")
    assert kept.exit_code == 0 and "kept as written" in kept.stderr
    assert "not read as a date" in ok(ngo, "incident", "show", kept.stdout.strip())
    assert run(ngo, "incident", "show", "zzzz").exit_code == 2


def test_export_import_and_refusals(vaults: tuple[Path, Path], tmp_path: Path) -> None:
    ngo, coord = vaults
    ok(ngo, "coalition", "keygen", "--agency", "maison-test", "-o", str(tmp_path / "ngo.pub"))
    ok(coord, "coalition", "agencies", "add", str(tmp_path / "ngo.pub"))
    ok(ngo, "case", "new", "--name", "Rosa Ejemplar")
    ref = ok(ngo, *NEW).strip()
    ok(ngo, "incident", "edit", ref, "--known", "ROSA said the debts were large.")
    refused = run(ngo, "incident", "export", "-o", str(tmp_path / "a.trpinc"))
    assert (
        refused.exit_code == 2
        and f"{ref} what is known: 'ROSA' matches part of a name stored in the vault" in refused.stderr
    )
    assert not (tmp_path / "a.trpinc").exists()
    ok(ngo, "incident", "edit", ref, "--known", "A worker said the debts were large.")
    out = ok(ngo, "incident", "export", "-o", str(tmp_path / "a.trpinc"))
    assert "1 incident(s)" in out and stat.S_IMODE(os.stat(tmp_path / "a.trpinc").st_mode) == 0o600
    imported = json.loads(ok(coord, "incident", "import", str(tmp_path / "a.trpinc"), "--json"))
    assert imported[0]["imported"] and imported[0]["new"] == 1
    again = run(coord, "incident", "import", str(tmp_path / "a.trpinc"))
    assert again.exit_code == 1 and "refused, nothing imported: already imported" in again.stderr
    assert run(ngo, "incident", "export", "-o", str(tmp_path / "b.trpinc")).exit_code == 2  # nothing new


def test_bulletin_docx_and_markdown(vaults: tuple[Path, Path], tmp_path: Path) -> None:
    ngo, _ = vaults
    ref = ok(ngo, *NEW).strip()
    ok(ngo, "incident", "edit", ref, "--framing", "trafficking")
    out = tmp_path / "bulletin.docx"
    ok(ngo, "bulletin", "--lang", "fr", "-o", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Bulletin des incidents" in text and "Qualification modifiée" in text
    assert "Traite de personnes (auparavant : Passage de clandestins)" in text
    markdown = ok(ngo, "bulletin", "--format", "md", "--since", "2026-01-01")
    assert (
        markdown.startswith("# Incident bulletin")
        and "## Ontario" in markdown
        and "### Agriculture" in markdown
    )
    assert json.loads(ok(ngo, "bulletin", "--json"))["language"] == "en"
    assert ok(ngo, "incident", "places", "montreal").split()[-3:] == ["ER-2440", "Montréal", "QC"]


def test_followed_filter_and_patterns_command(vaults: tuple[Path, Path]) -> None:
    ngo, _ = vaults
    ref = ok(ngo, *NEW).strip()
    ok(ngo, "incident", "new", "--title", "Another", "--place", "Ottawa")
    assert len(json.loads(ok(ngo, "incident", "list", "--json"))) == 2
    ok(ngo, "incident", "follow", ref)
    assert [i["ref"] for i in json.loads(ok(ngo, "incident", "list", "--followed", "--json"))] == [ref]
    assert json.loads(ok(ngo, "incident", "patterns", "--json")) == []
    assert "No pattern to state" in ok(ngo, "incident", "patterns")


def test_an_unknown_count_is_refused_unless_the_policy_allows_it(
    vaults: tuple[Path, Path], tmp_path: Path
) -> None:
    from trpkit.loading.coalition_policy import default_policy_path

    ngo, _ = vaults
    ok(ngo, "coalition", "keygen", "--agency", "maison-test", "-o", str(tmp_path / "ngo.pub"))
    ref = ok(ngo, *NEW).strip()
    ok(ngo, "incident", "edit", ref, "--people", "unknown")
    refused = run(ngo, "incident", "export", "-o", str(tmp_path / "a.trpinc"))
    assert refused.exit_code == 2 and not (tmp_path / "a.trpinc").exists()
    assert f"{ref} how many people: not known" in refused.stderr
    assert "Edit the incident to give the band you can vouch for (5 or more)" in refused.stderr
    assert "allow_below_minimum = true" in refused.stderr
    audit = json.loads(ok(ngo, "audit", "show", "--action", "incident.export_refused", "--json"))
    assert (
        audit
        and {"incident": ref, "field": "how many people", "kind": "count not known"}
        in audit[0]["detail"]["found"]
    )
    policy = tmp_path / "policy.toml"
    policy.write_text(
        default_policy_path().read_text(encoding="utf-8") + "\n[incidents]\nallow_below_minimum = true\n",
        encoding="utf-8",
    )
    out = ok(ngo, "incident", "export", "-o", str(tmp_path / "a.trpinc"), "--policy", str(policy))
    assert "1 incident(s)" in out
