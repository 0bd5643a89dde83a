"""Hostile and broken input for every importer and parser, through their public functions.

Each bad input must be refused with the parser's own error (a one-line message naming the problem,
exit 2 in the CLI) or read harmlessly: never an unexpected exception, never a write outside its folder.
TOML data files are fuzzed by mutating the real files (truncation, dropped, duplicated or garbled lines,
values of the wrong type, invalid UTF-8) and each result is judged by what the file now says
(``judged_by_content``): a file that is no longer TOML must be refused, one holding the same data must be
read. Inputs that can never be valid (random bytes as a package or a Word file) must always be refused.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests.cli import CliResult, run_cli
from trpkit.db.database import Database
from trpkit.errors import TrpkitError
from trpkit.paths import checklists_dir

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ_FILES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WRONG_VALUES = [
    "1",
    "-5",
    "true",
    "[]",
    "{}",
    '""',
    '"x"',
    "1979-05-27",
    '[1, "a"]',
    "{a = 1}",
    '"\\u0000"',
    '"../../etc/passwd"',
    "\"=cmd|' /C calc'!A0\"",
    "9999999999999999999999",
]


@st.composite
def mutations(draw: st.DrawFn, text: str) -> bytes:
    lines = text.splitlines(keepends=True)
    kind = draw(st.sampled_from(["truncate", "drop", "duplicate", "garble", "retype", "bytes", "swap"]))
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text)))].encode()
    if kind == "drop":
        return "".join(lines[:i] + lines[i + 1 :]).encode()
    if kind == "duplicate":
        return "".join(lines[: i + 1] + lines[i:]).encode()
    if kind == "garble":
        pos = draw(st.integers(0, len(text)))
        return (text[:pos] + draw(st.text(max_size=12)) + text[pos:]).encode("utf-8", "surrogatepass")
    if kind == "swap":
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines).encode()
    if kind == "bytes":
        pos = draw(st.integers(0, len(text)))
        raw = text.encode()
        return raw[:pos] + draw(st.binary(min_size=1, max_size=8)) + raw[pos:]
    assignments = [n for n, line in enumerate(lines) if " = " in line and not line.lstrip().startswith("#")]
    assume(assignments)
    n = draw(st.sampled_from(assignments))
    key = lines[n].split(" = ", 1)[0]
    lines[n] = f"{key} = {draw(st.sampled_from(WRONG_VALUES))}\n"
    return "".join(lines).encode()


def refused_cleanly(call: Callable[[], object], errors: tuple[type[BaseException], ...]) -> None:
    """``call`` either succeeds or raises one of ``errors`` with a one-line message."""
    try:
        call()
    except errors as exc:
        _one_line(exc)


def _one_line(exc: BaseException) -> None:
    message = str(exc).strip()
    assert message, f"{type(exc).__name__} without a message"
    assert "\n" not in message, f"multi-line message: {message!r}"
    assert "Traceback" not in message


def refused(call: Callable[[], object], errors: tuple[type[BaseException], ...]) -> BaseException:
    """``call`` must raise one of ``errors``, with a one-line message."""
    with pytest.raises(errors) as caught:
        call()
    _one_line(caught.value)
    return caught.value


_STAMPS = itertools.count(time.time_ns())


def write_changed(path: Path, content: bytes) -> None:
    """Write ``content`` with a modification time of its own: loaders cache by mtime, and two writes
    within one clock tick would otherwise be read as the same file."""
    path.write_bytes(content)
    stamp = next(_STAMPS)
    os.utime(path, ns=(stamp, stamp))


def _toml_data(content: bytes) -> dict[str, object] | None:
    try:
        return tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _kind(value: object) -> str:
    """A TOML value's type, with an integer where a float was written counted as the same number."""
    return "number" if type(value) in (int, float) else type(value).__name__


def retyped(original: object, changed: object, where: str = "") -> list[str]:
    """Keys (and list positions) whose value changed type between ``original`` and ``changed``: a
    string where a list was, a number where a table was... Keys added or dropped are not counted."""
    if _kind(original) != _kind(changed):
        return [where or "(file)"]
    if isinstance(original, dict) and isinstance(changed, dict):
        return [
            found
            for key in original.keys() & changed.keys()
            for found in retyped(original[key], changed[key], f"{where}.{key}")
        ]
    if isinstance(original, list) and isinstance(changed, list) and len(original) == len(changed):
        return [
            found
            for i, (a, b) in enumerate(zip(original, changed, strict=True))
            for found in retyped(a, b, f"{where}[{i}]")
        ]
    return []


def judged_by_content(
    original: bytes, content: bytes, load: Callable[[], object], errors: tuple[type[BaseException], ...]
) -> None:
    """A mangled data file, judged by what it now says rather than accepted either way:
    - not UTF-8 or not TOML: the loader must refuse it with its own one-line error;
    - the same TOML data as the shipped file (a comment or a blank line dropped, duplicated or moved):
      the loader must read it;
    - a value of another type where the shipped file has one (a number for a list, a table for a
      string...): the loader must refuse it with a one-line error, never read it as if nothing were wrong;
    - other different data (a value changed within its type, an optional key dropped): refused with a
      one-line error, or read (many such edits leave a valid file, and the targeted tests next to each
      loader pin down which must be refused)."""
    data = _toml_data(content)
    before = _toml_data(original)
    if data is None or retyped(before, data):
        refused(load, errors)
    elif data == before:
        load()
    else:
        refused_cleanly(load, errors)


def _checklist_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("checklists")
    for item in checklists_dir().iterdir():
        if item.is_dir():
            shutil.copytree(item, folder / item.name)
        else:
            shutil.copy(item, folder / item.name)
    return folder


# --- TOML data files (via the loaders other areas wrote) ---------------------------------------------

FRAMEWORK_FILES = [
    "delphi-adult-labour.toml",
    "ilo-forced-labour.toml",
    "crosswalk.toml",
    "indicator-prompts.toml",
    "ircc-vtip-criteria.toml",
    "criminal-code-279-04.toml",
]


@pytest.mark.parametrize("name", FRAMEWORK_FILES)
def test_indicator_frameworks_refuse_broken_files(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    from trpkit.loading.frameworks import ChecklistError, load_frameworks

    folder = _checklist_copy(tmp_path_factory)
    original = (folder / name).read_text(encoding="utf-8")

    @FUZZ_FILES
    @given(mutations(original))
    def check(content: bytes) -> None:
        write_changed(folder / name, content)
        judged_by_content(original.encode(), content, lambda: load_frameworks(folder), (ChecklistError,))

    check()


@pytest.mark.parametrize("name", ["documents-initial-trp.toml"])
def test_document_checklists_refuse_broken_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.document_checklists import load_checklist
    from trpkit.loading.errors import DataFileError as ChecklistError

    original = (checklists_dir() / name).read_text(encoding="utf-8")

    @FUZZ_FILES
    @given(mutations(original))
    def check(content: bytes) -> None:
        path = tmp_path / name
        write_changed(path, content)
        judged_by_content(original.encode(), content, lambda: load_checklist(path), (ChecklistError,))

    check()


def _fuzz_file(
    folder: Path, name: str, load: Callable[[Path], object], errors: tuple[type[BaseException], ...]
) -> None:
    original = (checklists_dir() / name).read_text(encoding="utf-8")

    @FUZZ_FILES
    @given(mutations(original))
    def check(content: bytes) -> None:
        path = folder / name
        write_changed(path, content)
        judged_by_content(original.encode(), content, lambda: load(path), errors)

    check()


@pytest.mark.parametrize("name", ["policy-periods.toml", "refusal-reasons.toml"])
def test_policy_periods_and_refusal_reasons_refuse_broken_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.errors import DataFileError
    from trpkit.loading.ircc_periods import load_policy, load_refusal_reasons

    loader = load_policy if name == "policy-periods.toml" else load_refusal_reasons
    _fuzz_file(tmp_path, name, loader, (DataFileError,))


@pytest.mark.parametrize("name", ["coalition-policy.toml", "m49-regions.toml"])
def test_coalition_policy_refuses_broken_files(tmp_path: Path, name: str) -> None:
    from trpkit.loading.coalition_policy import load_m49, load_policy
    from trpkit.loading.errors import DataFileError

    m49 = checklists_dir() / "m49-regions.toml"
    loader = load_m49 if name == "m49-regions.toml" else (lambda path: load_policy(path, m49))
    _fuzz_file(tmp_path, name, loader, (DataFileError,))


# --- CSV and coalition packages ------------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=400))
@example('outcome\n=HYPERLINK("http://x")\n')
@example("\ufeffoutcome,outcome\n")
@example("outcome\n\x00\n")
def test_coalition_csv_refuses_garbage(text: str) -> None:
    from trpkit.coalition.record import RecordError, read_csv_text, write_csv

    try:
        columns, records = read_csv_text(text)
    except RecordError as exc:
        _one_line(exc)
        return
    # Accepted: then it was a real table in the schema, which reads back the same once written out.
    assert "outcome" in columns
    assert read_csv_text(write_csv(records, columns)) == (columns, records)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('outcome\n=HYPERLINK("http://x")\n', "starts with a formula character"),
        ("\ufeffoutcome,outcome\n", "a column is repeated"),
        ("outcome\n\x00\n", "is not a code"),
        ("refused\n", "unknown column"),
    ],
)
def test_coalition_csv_refuses_these(text: str, problem: str) -> None:
    from trpkit.coalition.record import RecordError, read_csv_text

    assert problem in str(refused(lambda: read_csv_text(text), (RecordError,)))


def test_coalition_csv_cells_cannot_carry_formulas() -> None:
    """Every cell is parsed against its column type, so formula text never reaches a written CSV."""
    from trpkit.coalition.record import COLUMN_NAMES, RecordError, read_csv_text, write_csv

    for column in COLUMN_NAMES:
        for payload in ("=1+1", "+1+1", "@SUM(A1)", '=HYPERLINK("http://evil")', "\t=1+1", "-2+3"):
            text = (
                f"outcome,{column}\nrefused,{payload}\n" if column != "outcome" else f"outcome\n{payload}\n"
            )
            try:
                _, records = read_csv_text(text)
            except RecordError:
                continue
            written = write_csv(records, ["outcome", column])
            for cell in (c for line in written.splitlines()[1:] for c in line.split(",")):
                assert not cell.lstrip().startswith(("=", "+", "@")), (column, payload, written)


@FUZZ
@given(st.binary(max_size=600))
@example(b"PK\x03\x04")
@example(b"PK\x05\x06" + b"\x00" * 18)
def test_coalition_packages_refuse_random_bytes(data: bytes) -> None:
    from trpkit.coalition.package import PackageRefused, read_bytes

    # Random bytes are never a signed package: refused, every time.
    refused(lambda: read_bytes(data), (PackageRefused,))


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["manifest.json", "records.csv", "signature", "../evil", "/abs"]),
        st.binary(max_size=200),
        max_size=4,
    ),
    st.sampled_from(
        [b"{}", b"[]", b"null", b'{"format": 1}', b"\xff\xfe", b'{"format": "x", "records_sha256": 5}']
    ),
)
def test_coalition_packages_refuse_malformed_archives(members: dict[str, bytes], manifest: bytes) -> None:
    from trpkit.coalition.package import MANIFEST_NAME, PackageRefused, read_bytes

    members = dict(members)
    if MANIFEST_NAME in members:
        members[MANIFEST_NAME] = manifest
    # Never the three members with a valid manifest and signature: refused, every time.
    refused(lambda: read_bytes(_zip(members)), (PackageRefused,))


# --- dates -----------------------------------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=80), st.sampled_from(["en", "fr", "es", "pt", "xx", "", "fr-CA", "../../x"]))
@example("31 February 2019", "en")
@example("9999999999 years ago", "en")
@example("\x00\u202e2019", "en")
def test_fuzzy_dates_never_crash(text: str, language: str) -> None:
    from trpkit.domain.fuzzy_dates import FuzzyDate, format_fuzzy, parse_fuzzy

    result = parse_fuzzy(text, language=language)
    assert isinstance(result, FuzzyDate)
    assert FuzzyDate.from_dict(result.to_dict()) == result
    format_fuzzy(result, language="en")


# --- templates and attachments --------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300))
@example(b"PK\x03\x04")
def test_template_linter_refuses_non_documents(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    from trpkit.documents.lint import lint_template

    path = tmp_path_factory.mktemp("tpl") / "broken.docx"
    path.write_bytes(data)
    # Random bytes are never a Word document: refused, every time.
    refused(lambda: lint_template(path), (TrpkitError,))


KNOWN_BUGS: list[tuple[str, tuple, str]] = [  # type: ignore[type-arg]
    # (file, how it is broken, loader) — exact failing inputs found by the fuzzing above that are not
    # fixed yet; each should be refused with the loader's own one-line error.
]


FIXED_BUGS = [  # found by the fuzzing above and fixed: kept as regression tests
    ("delphi-adult-labour.toml", ("line", 69, "dimension = []"), "frameworks"),  # TypeError frameworks.py:379
    ("delphi-adult-labour.toml", ("line", 42, "id = []"), "frameworks"),  # TypeError frameworks.py:561
    ("policy-periods.toml", ("line", 62, "instruments = 1"), "policy"),  # TypeError policy.py:341
    ("policy-periods.toml", ("utf8",), "policy"),  # UnicodeDecodeError
    ("refusal-reasons.toml", ("utf8",), "refusals"),  # UnicodeDecodeError
    ("coalition-policy.toml", ("utf8",), "coalition"),  # UnicodeDecodeError
    ("m49-regions.toml", ("utf8",), "m49"),  # UnicodeDecodeError
    ("records.csv", ("text", "\r0"), "csv"),  # _csv.Error escapes read_csv_text
    ("documents-initial-trp.toml", ("utf8",), "documents"),
    ("broken.docx", ("bytes", b"not a zip"), "template"),
    ("broken.docx", ("zip",), "template"),
]


@pytest.mark.parametrize(
    "name,damage,loader",
    [pytest.param(*bug, marks=pytest.mark.xfail(strict=True)) for bug in KNOWN_BUGS] + FIXED_BUGS,
)
def test_known_parser_bugs(tmp_path: Path, name: str, damage: tuple, loader: str) -> None:  # type: ignore[type-arg]
    from trpkit.documents.lint import lint_template
    from trpkit.loading import document_checklists, frameworks, ircc_periods
    from trpkit.loading.coalition_policy import load_m49
    from trpkit.loading.coalition_policy import load_policy as coalition_policy
    from trpkit.loading.errors import DataFileError

    folder = _checklist_copy_plain(tmp_path)
    path = folder / name
    if damage[0] == "line":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[damage[1] - 1] = damage[2] + "\n"
        path.write_text("".join(lines), encoding="utf-8")
    elif damage[0] == "utf8":
        path.write_bytes(b"\x80" + path.read_bytes())
    elif damage[0] == "bytes":
        path.write_bytes(damage[1])
    elif damage[0] == "text":
        from trpkit.coalition.record import RecordError, read_csv_text

        refused(lambda: read_csv_text(damage[1]), (RecordError,))
        return
    else:
        path.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-closed"}))
    call, errors = {
        "frameworks": (lambda: frameworks.load_frameworks(folder), (frameworks.ChecklistError,)),
        "policy": (lambda: ircc_periods.load_policy(path), (DataFileError,)),
        "refusals": (lambda: ircc_periods.load_refusal_reasons(path), (DataFileError,)),
        "documents": (
            lambda: document_checklists.load_checklist(path),
            (DataFileError,),
        ),
        "coalition": (lambda: coalition_policy(path, folder / "m49-regions.toml"), (DataFileError,)),
        "template": (lambda: lint_template(path), (TrpkitError,)),
        "m49": (lambda: load_m49(path), (DataFileError,)),
    }[loader]
    refused(call, errors)


def _checklist_copy_plain(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    shutil.copytree(checklists_dir(), folder)
    return folder


@FUZZ
@given(st.text(max_size=200))
@example("../../../../etc/passwd")
@example("..\\..\\windows\\system32\\x.dll")
@example("CON.txt")
@example("\u202egpj.exe")
@example(".bashrc")
def test_attachment_names_cannot_escape_their_folder(name: str) -> None:
    from trpkit.services.evidence_files import safe_filename

    clean = safe_filename(name)
    assert clean and "/" not in clean and "\\" not in clean and "\x00" not in clean
    assert not clean.startswith(".") and clean not in (".", "..")
    assert "\u202e" not in clean  # no right-to-left override disguising an extension
    assert Path("/base", clean).resolve().parent == Path("/base")


# --- the CLI: exit 2, one line, nothing written ------------------------------------------------------------


def _cli(args: list[str], cwd: Path) -> CliResult:
    return run_cli(args, cwd=cwd)


def test_cli_refuses_broken_files_with_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "lists"
    shutil.copytree(checklists_dir(), broken)
    (broken / "crosswalk.toml").write_bytes(b"[meta\nname = ")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    checked = _cli(["indicators", "check", "--dir", str(broken)], tmp_path)
    assert checked.returncode == 2, checked.stderr
    assert len(checked.stderr.strip().splitlines()) == 1 and "crosswalk.toml" in checked.stderr
    not_backup = tmp_path / "x.trpbackup"
    not_backup.write_bytes(b"garbage")
    restored = _cli(["restore", str(not_backup), "--to", str(tmp_path / "new.trpvault")], tmp_path)
    assert restored.returncode in (2, 3), restored.stderr  # 3: no passphrase in the environment
    assert "Traceback" not in restored.stderr and len(restored.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted([*before, "x.trpbackup"])


HOSTILE_NAMES = [
    "../../../../tmp/trpkit-escape.txt",
    "..\\..\\evil.bat",
    "/etc/cron.d/x",
    "CON",
    "nul.txt",
    ".ssh",
    "a\x00b.pdf",
    "\u202egpj.exe",
    '=HYPERLINK("http://x").csv',
    "x" * 400 + ".pdf",
    "",
    ".",
]


def test_hostile_attachment_names_stay_inside_the_export_folders(vault_db: Database, tmp_path: Path) -> None:
    """Through the services a person uses: attach files with hostile names, then export the evidence and
    the access-request folder; every file lands inside its folder and nothing else on disk changes."""
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.evidence import add_evidence
    from trpkit.services.evidence_files import attach_file, export_evidence
    from trpkit.services.subject_access import export_case
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "ana", role="supervisor")
        ana = actor_for(s, "ana")
        code = create_case(s, ana, person={"legal_name": "Hostile Fictional"}).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(s, ana, code, purpose=purpose, decision="given", method="written")
        item = add_evidence(s, ana, code, type="document", description="Files")
        for i, name in enumerate(HOSTILE_NAMES):
            attach_file(s, ana, code, item.exhibit_number, name, f"content {i}".encode())
    outside = sorted(p for p in tmp_path.parent.rglob("*") if not p.is_relative_to(tmp_path))
    with vault_db.session() as s:
        evidence_dir = export_evidence(s, ana, code, tmp_path / "evidence").directory
        export_case(s, ana, code, tmp_path / "access")
    for folder, expected in (
        (evidence_dir, len(HOSTILE_NAMES) + 1),  # + SHA256SUMS
        (tmp_path / "access" / "attachments", len(HOSTILE_NAMES)),
    ):
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert len(files) == expected
        assert all(p.resolve().is_relative_to(folder.resolve()) for p in files)
        assert all(not p.name.startswith(".") and "\u202e" not in p.name for p in files)
    assert not Path("/tmp/trpkit-escape.txt").exists()
    assert sorted(p for p in tmp_path.parent.rglob("*") if not p.is_relative_to(tmp_path)) == outside
