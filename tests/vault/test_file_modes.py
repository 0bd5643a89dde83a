"""Every file trpkit writes outside the vault is readable by its owner only (0600; folders 0700)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TEST_PASSPHRASE
from trpkit.cli import cli
from trpkit.db.database import create_vault
from trpkit.files import make_private_dir, write_private
from trpkit.services.cases import create_case
from trpkit.services.users import actor_for, create_user


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """A permissive umask, as on many desktops: trpkit must not rely on the user's."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


def test_exports_keys_secrets_and_backups_are_private(tmp_path: Path, loose_umask: None) -> None:
    vault = tmp_path / "v.trpvault"
    db = create_vault(vault, TEST_PASSPHRASE)
    with db.session() as s:
        create_user(s, "boss", role="supervisor")
        code = create_case(s, actor_for(s, "boss"), person={"legal_name": "Mode Fictional"}).code
    db.close()
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "TRPKIT_BACKUP_PASSPHRASE": "granite otter lullaby 4471"}
    runner = CliRunner()
    for args in (
        ["coalition", "keygen", "--agency", "maison-test", "-o", str(out / "agency.pub")],
        ["coalition", "secret", "--new", "-o", str(out / "coalition.secret")],
        ["case", "export", code, "-o", str(out / "export")],
        ["backup", "-o", str(out / "v.trpbackup")],
    ):
        result = runner.invoke(cli, ["--vault", str(vault), *args], env=env)
        assert result.exit_code == 0, (args, result.output)
    modes = _modes(out)
    assert {"agency.pub", "coalition.secret", "export", "v.trpbackup"} <= set(modes)
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert loose == {}


def test_the_helper_makes_an_existing_file_private_before_writing(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "release.csv"
    path.write_text("old, readable by all")
    os.chmod(path, 0o644)
    write_private(path, "new contents")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() == "new contents"
    with pytest.raises(FileExistsError):
        write_private(path, b"again", exclusive=True)
    folder = make_private_dir(tmp_path / "a" / "b")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
