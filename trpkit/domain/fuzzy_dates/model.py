"""The fuzzy date itself: what the person said, its interval, precision and EDTF value."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    UNKNOWN = "unknown"


class DateStatus(StrEnum):
    PARSED = "parsed"
    UNPARSED = "unparsed"  # kept verbatim; a person must fix it


@dataclass(frozen=True)
class FuzzyDate:
    original: str
    language: str = "en"
    edtf: str | None = None
    earliest: date | None = None
    latest: date | None = None
    precision: Precision = Precision.UNKNOWN
    approximate: bool = False
    uncertain: bool = False
    status: DateStatus = DateStatus.UNPARSED

    @property
    def is_parsed(self) -> bool:
        return self.status is DateStatus.PARSED

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form used for storage (a JSON column) and for --json output."""
        data = asdict(self)
        data["earliest"] = self.earliest.isoformat() if self.earliest else None
        data["latest"] = self.latest.isoformat() if self.latest else None
        data["precision"] = self.precision.value
        data["status"] = self.status.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FuzzyDate:
        return cls(
            original=str(data.get("original", "")),
            language=str(data.get("language", "en")),
            edtf=data.get("edtf"),
            earliest=date.fromisoformat(data["earliest"]) if data.get("earliest") else None,
            latest=date.fromisoformat(data["latest"]) if data.get("latest") else None,
            precision=Precision(data.get("precision", "unknown")),
            approximate=bool(data.get("approximate", False)),
            uncertain=bool(data.get("uncertain", False)),
            status=DateStatus(data.get("status", "unparsed")),
        )

    @classmethod
    def unparsed(cls, original: str, language: str = "en") -> FuzzyDate:
        return cls(original=original, language=language)
