"""The shared coalition record (schema 1.0): one row per decision (or pending application), and its CSV form.

The columns, their meaning and their HTCDS counterparts are documented in docs/coalition-record.md.
Reading is strict (a package with a malformed cell is refused, naming the row and column); writing is
CSV-injection safe (no cell can start with = + - @ or a control character, so a spreadsheet never runs it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trpkit.errors import UsageError

OUTCOMES = ("granted", "refused", "withdrawn", "returned", "pending")
DECIDED_OUTCOMES = ("granted", "refused")  # the denominator of a grant rate
COOPERATION = ("none", "reported", "cooperating", "testified")
CRIMINAL_CASE = ("none", "investigation", "prosecution", "concluded")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | code | category | date | int | bool | codes
    required: bool = False
    optional_field: str | None = None  # policy [fields] switch that allows it
    htcds: str = ""
    meaning: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("record_id", "id", True, meaning="keyed pseudonym (HMAC-SHA256) of the person and application"),
    Column(
        "agency",
        "code",
        True,
        htcds="org_ (organisation)",
        meaning="the sharing agency's coalition id; stripped from published outputs",
    ),
    Column("application_type", "code", meaning="initial_trp, subsequent_trp, ..."),
    Column("submitted", "date", meaning="month, quarter, half-year or year the application was submitted"),
    Column("decided", "date", meaning="month, quarter, half-year or year of the decision (empty if pending)"),
    Column(
        "processing_days",
        "int",
        optional_field="processing_days",
        meaning="days from submission to decision, or to the export date when pending (censored)",
    ),
    Column("outcome", "code", True, meaning=", ".join(OUTCOMES)),
    Column("duration_granted_months", "int", optional_field="duration_granted_months"),
    Column("policy_period", "code", meaning="policy period id (checklists/policy-periods.toml)"),
    Column("exploitation_sector", "category", htcds="vic_TypeOfExploitation"),
    Column("gender", "category", htcds="prs_Gender"),
    Column("age_band", "category", htcds="vic_AgeWhenTrafficked (banded as in CTDC ageBroad)"),
    Column("origin_region", "category", htcds="prs_Citizenship (ISO 3166) generalised to UN M49"),
    Column("law_enforcement_cooperation", "code", optional_field="law_enforcement_cooperation"),
    Column("criminal_case_status", "code", optional_field="criminal_case_status"),
    Column(
        "delphi_identified", "bool", optional_field="delphi", htcds="vic_TraffickingStatus (possible/actual)"
    ),
    Column("positive_dimensions", "int", optional_field="delphi"),
    Column("strong_indicators", "int", optional_field="delphi"),
    Column("medium_indicators", "int", optional_field="delphi"),
    Column("weak_indicators", "int", optional_field="delphi"),
    Column("ircc_office", "category"),
    Column(
        "officer_label",
        "code",
        optional_field="officer_label",
        meaning="keyed pseudonym of the officer label; never a name",
    ),
    Column(
        "refusal_reasons",
        "codes",
        optional_field="refusal_reasons",
        meaning="refusal-reason codes (checklists/refusal-reasons.toml), ';'-separated",
    ),
)
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
COLUMN_NAMES = tuple(c.name for c in COLUMNS)

_ID = re.compile(r"[0-9a-f]{16,64}")
_CODE = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")
# Letters (any script), digits, spaces and a few separators; never starting with a formula character.
_CATEGORY = re.compile(r"[\w*(][\w\s'’.,()/*+\-]{0,79}", re.UNICODE)
_DATE = re.compile(r"\*|\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?")
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")

Record = dict[str, Any]
_MISSING = object()


class RecordError(UsageError):
    """A record file is malformed; the message names the row and the column."""


def empty_record() -> Record:
    return {c.name: None for c in COLUMNS}


def parse_cell(column: Column, raw: str) -> Any:
    """Text from a CSV cell -> a value (None when empty). Raises ValueError naming the problem."""
    text = raw.strip()
    if text == "":
        return None
    if column.kind == "int" and text[0] == "-" and text[1:].isdigit():
        raise ValueError(f"'{text[:20]}' is negative: {column.name} must be a whole number of at least 0")
    if text[0] in _DANGEROUS_START:
        raise ValueError(f"'{text[:20]}' starts with a formula character")
    if column.kind == "id":
        if not _ID.fullmatch(text):
            raise ValueError("not a hexadecimal pseudonym")
        return text
    if column.kind == "code":
        value = text.lower()
        if not _CODE.fullmatch(value):
            raise ValueError(f"'{text[:20]}' is not a code (letters, digits, _ . -)")
        if column.name == "outcome" and value not in OUTCOMES:
            raise ValueError(f"unknown outcome '{value}' (use {', '.join(OUTCOMES)})")
        if column.name == "law_enforcement_cooperation" and value not in COOPERATION:
            raise ValueError(f"unknown value '{value}' (use {', '.join(COOPERATION)})")
        if column.name == "criminal_case_status" and value not in CRIMINAL_CASE:
            raise ValueError(f"unknown value '{value}' (use {', '.join(CRIMINAL_CASE)})")
        return value
    if column.kind == "category":
        if not _CATEGORY.fullmatch(text):
            raise ValueError(f"'{text[:20]}' is not an allowed category value")
        return text
    if column.kind == "date":
        if not _DATE.fullmatch(text):
            raise ValueError(f"'{text}' is not YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn or *")
        return text
    if column.kind == "int":
        if not text.isdigit() or len(text) > 6:
            raise ValueError(f"'{text[:20]}' is not a whole number of at least 0")
        return int(text)
    if column.kind == "bool":
        value = text.lower()
        if value in ("true", "1", "yes"):
            return True
        if value in ("false", "0", "no"):
            return False
        raise ValueError(f"'{text[:20]}' is not true or false")
    if column.kind == "codes":
        codes = tuple(part.strip().lower() for part in text.split(";") if part.strip())
        for code in codes:
            if not _CODE.fullmatch(code):
                raise ValueError(f"'{code[:20]}' is not a reason code")
        return codes
    raise AssertionError(column.kind)


def format_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind == "bool":
        return "true" if value else "false"
    if column.kind == "codes":
        return ";".join(value)
    text = str(value)
    if not text.isprintable():  # no shared value has control characters; never let one break a row
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    if text and text[0] in _DANGEROUS_START:
        text = "'" + text  # neutralise a formula (defence in depth: exported values never start so)
    return text


def validate_record(record: Record) -> None:
    """Check a record built in memory against the schema (the exporter calls this before writing)."""
    for column in COLUMNS:
        value = record.get(column.name)
        if value is None:
            if column.required:
                raise RecordError(f"{column.name} is required")
            continue
        text = format_cell(column, value)
        try:
            parse_cell(column, text)
        except ValueError as exc:
            raise RecordError(f"{column.name}: {exc}") from None


def validate_records(records: Iterable[Record], columns: Iterable[str], *, partial: bool = False) -> None:
    """Like ``validate_record`` for many records: each distinct value of a column is checked once.

    ``partial``: check only ``columns`` (the caller vouches for the others) and skip the extra-field check.
    """
    names = [c for c in COLUMN_NAMES if c in set(columns)]
    allowed = set(names)
    records = list(records)
    for record in records if not partial else ():
        if len(record) > len(names) or not record.keys() <= allowed:
            extra = set(record) - allowed
            if extra:
                raise RecordError(f"field(s) not allowed here: {', '.join(sorted(extra))}")
    seen: dict[str, set[Any]] = {}
    for n in names:
        try:
            seen[n] = {r[n] for r in records}
        except KeyError:
            seen[n] = {r.get(n) for r in records}
    for name in names:
        column = COLUMN_BY_NAME[name]
        for value in seen[name]:
            if value is None:
                if column.required:
                    raise RecordError(f"{name} is required")
                continue
            try:
                parse_cell(column, format_cell(column, value))
            except ValueError as exc:
                raise RecordError(f"{name}: {exc}") from None


def write_csv(
    records: Iterable[Record], columns: Iterable[str], target: Path | io.TextIOBase | None = None
) -> str:
    """Write records with the given columns (schema order). Returns the text (and writes it to ``target``)."""
    names = [c for c in COLUMN_NAMES if c in set(columns)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    records = records if isinstance(records, list) else list(records)
    columns_text: list[list[str]] = []
    for name in names:  # column by column: each distinct value is formatted once
        spec = COLUMN_BY_NAME[name]
        try:
            values = [r[name] for r in records]
        except KeyError:
            values = [r.get(name) for r in records]
        if spec.kind == "id":
            columns_text.append([format_cell(spec, v) for v in values])
            continue
        cache: dict[Any, str] = {}
        for value in values:
            if value not in cache:
                cache[value] = format_cell(spec, value)
        columns_text.append([cache[v] for v in values])
    rows = zip(*columns_text, strict=True) if columns_text else iter(())
    writer.writerows(rows)
    text = buffer.getvalue()
    if isinstance(target, Path):
        target.write_text(text, encoding="utf-8")
    elif target is not None:
        target.write(text)
    return text


def read_csv_text(
    text: str, *, source: str = "records", require: Iterable[str] = ("outcome",)
) -> tuple[list[str], list[Record]]:
    """Parse CSV text in the documented schema. Unknown columns and malformed cells are errors."""
    text = text.removeprefix("\ufeff")
    try:
        return _read_csv_rows(text, source, require)
    except csv.Error as exc:  # malformed quoting or line endings inside a cell
        raise RecordError(f"{source}: not a readable CSV file ({exc})") from None


def _read_csv_rows(text: str, source: str, require: Iterable[str]) -> tuple[list[str], list[Record]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise RecordError(f"{source}: the file is empty") from None
    unknown = [h for h in header if h not in COLUMN_BY_NAME]
    if unknown:
        raise RecordError(
            f"{source}: unknown column(s) {', '.join(unknown[:5])}; the schema is in docs/coalition-record.md"
        )
    if len(set(header)) != len(header):
        raise RecordError(f"{source}: a column is repeated in the header")
    missing = [r for r in require if r not in header]
    if missing:
        raise RecordError(f"{source}: required column(s) missing: {', '.join(missing)}")
    columns = [COLUMN_BY_NAME[h] for h in header]
    caches: list[dict[str, Any]] = [{} for _ in columns]  # repeated cells are parsed once
    records: list[Record] = []
    first_row: dict[str, int] = {}  # record_id -> the row it first appeared on
    repeated: list[tuple[int, int]] = []
    for line_number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise RecordError(f"{source}, row {line_number}: {len(row)} cells for {len(columns)} columns")
        record = empty_record()
        for column, cache, cell in zip(columns, caches, row, strict=True):
            value = cache.get(cell, _MISSING)
            if value is _MISSING:
                try:
                    value = parse_cell(column, cell)
                except ValueError as exc:
                    raise RecordError(f"{source}, row {line_number}, column {column.name}: {exc}") from None
                if column.kind != "id":
                    cache[cell] = value
            record[column.name] = value
        for name in require:
            if record.get(name) is None:
                raise RecordError(f"{source}, row {line_number}: {name} is empty")
        record_id = record.get("record_id")
        if record_id is not None:
            if record_id in first_row:
                repeated.append((line_number, first_row[record_id]))
            else:
                first_row[record_id] = line_number
        records.append(record)
    if repeated:
        raise RecordError(_repeated_message(source, repeated))
    return header, records


def _repeated_message(source: str, repeated: list[tuple[int, int]]) -> str:
    """Each decision must be counted once: name the repeated rows (the first few) and how many there are."""
    shown = "; ".join(f"row {row} repeats row {first}" for row, first in repeated[:5])
    more = f" (and {len(repeated) - 5} more)" if len(repeated) > 5 else ""
    return (
        f"{source}: {len(repeated)} row(s) repeat a record_id already in the file: {shown}{more}. Each decision "
        "must appear once: remove the repeated rows, or check how the file was put together"
    )


def read_csv(path: Path, *, require: Iterable[str] = ("outcome",)) -> tuple[list[str], list[Record]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise RecordError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
    return read_csv_text(text, source=str(path), require=require)


def iter_column(records: Iterable[Record], name: str) -> Iterator[Any]:
    return (r.get(name) for r in records)
