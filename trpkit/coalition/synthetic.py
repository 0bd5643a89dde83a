"""Fictional decision rows for tests, benchmarks and trying the report: no real person, no real decision.

``raw_rows`` makes rows in the exporter's input form (age in years, country, exact dates); ``records``
makes shared records directly. Effects are planted on the log-odds scale so a test can check the
analysis finds what was planted, and finds nothing when nothing was planted.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from trpkit.coalition.record import Record
from trpkit.domain.coalition_policy import SECTORS

COUNTRIES = ("MX", "GT", "PH", "IN", "NG", "HU", "BR", "JM", "UA", "VN", "CN", "HN", "CO", "RO", "KE")
OFFICES = ("toronto", "mississauga", "montreal", "vancouver", "calgary", "winnipeg", "halifax", "ottawa")
GENDERS = ("woman", "man", "woman", "man", "trans_woman", "gender_diverse", "unknown")
REASONS = (
    "criminal_case_concluded",
    "presence_not_required",
    "no_law_enforcement_involvement",
    "insufficient_evidence_exploitation",
    "criteria_not_met",
)


@dataclass(frozen=True)
class Effects:
    """Log-odds effects on a grant. Zero everywhere = outcomes independent of everything."""

    base: float = 0.6
    cooperation: float = 0.0  # any cooperation with police vs none
    concluded_at_renewal: float = 0.0  # criminal case concluded, subsequent application
    per_strong_indicator: float = 0.0
    labour_sector: float = 0.0
    office: dict[str, float] = field(default_factory=dict)


def _pick(rng: random.Random, values: tuple[str, ...]) -> str:
    return values[int(rng.random() * len(values))]


def raw_rows(
    n: int,
    seed: int = 1,
    effects: Effects | None = None,
    agency: str = "ngo-a",
    pending_share: float = 0.1,
    start: date = date(2022, 1, 1),
    today: date = date(2026, 6, 30),
) -> list[dict[str, Any]]:
    effects = effects or Effects()
    rng = random.Random(seed)
    span = (today - start).days - 60
    rows: list[dict[str, Any]] = []
    for i in range(n):
        sector = _pick(rng, SECTORS)
        cooperation = _pick(rng, ("none", "none", "reported", "cooperating", "testified"))
        criminal = _pick(rng, ("none", "none", "investigation", "prosecution", "concluded"))
        application_type = "initial_trp" if rng.random() < 0.65 else "subsequent_trp"
        strong = min(int(rng.expovariate(0.6)), 8)
        medium = min(int(rng.expovariate(0.5)), 8)
        weak = min(int(rng.expovariate(0.4)), 8)
        office = _pick(rng, OFFICES)
        submitted = start + timedelta(days=int(rng.random() * span))
        logit = _grant_logit(effects, strong, cooperation, criminal, application_type, sector, office)
        granted = rng.random() < 1 / (1 + math.exp(-logit))
        decided, outcome, days = _decision(rng, submitted, granted, pending_share, today)
        reasons: tuple[str, ...] | None = None
        if outcome == "refused":
            reasons = tuple(sorted({_pick(rng, REASONS) for _ in range(1 + int(rng.random() * 2))}))
        age = 16 + rng.random() * 45
        rows.append(
            {
                "record_id": hashlib.sha256(f"{agency}:{seed}:{i}".encode()).hexdigest(),
                "agency": agency,
                "application_type": application_type,
                "submitted_date": submitted,
                "decided_date": decided,
                "processing_days": days,
                "outcome": outcome,
                "duration_granted_months": (12 if application_type == "initial_trp" else 24)
                if outcome == "granted"
                else None,
                "policy_period": "vtip-2025" if submitted >= date(2025, 2, 4) else "vtip-2020",
                "exploitation_sector": sector,
                "gender": _pick(rng, GENDERS),
                "age_years": age,
                "country": _pick(rng, COUNTRIES),
                "law_enforcement_cooperation": cooperation,
                "criminal_case_status": criminal,
                "delphi_identified": strong + medium >= 2,
                "positive_dimensions": min(strong + medium, 6),
                "strong_indicators": strong,
                "medium_indicators": medium,
                "weak_indicators": weak,
                "ircc_office": office,
                "officer_label": f"of-{int(rng.random() * 12):02d}",
                "refusal_reasons": reasons,
            }
        )
    return rows


def _grant_logit(
    effects: Effects,
    strong: int,
    cooperation: str,
    criminal: str,
    application_type: str,
    sector: str,
    office: str,
) -> float:
    """The log-odds of a grant under ``effects`` (what the report's regression should find again)."""
    logit = effects.base + effects.per_strong_indicator * strong
    if cooperation != "none":
        logit += effects.cooperation
    if criminal == "concluded" and application_type == "subsequent_trp":
        logit += effects.concluded_at_renewal
    if sector in ("agriculture", "construction", "domestic_work", "hospitality", "manufacturing"):
        logit += effects.labour_sector
    return logit + effects.office.get(office, 0.0)


def _decision(
    rng: random.Random, submitted: date, granted: bool, pending_share: float, today: date
) -> tuple[date | None, str, int]:
    """(decided on, outcome, days waited): pending when drawn so or when the decision would be after today."""
    days = int(rng.gammavariate(4.0, 45.0)) + 5
    pending = rng.random() < pending_share or submitted + timedelta(days=days) > today
    if pending:
        return None, "pending", (today - submitted).days
    return submitted + timedelta(days=days), "granted" if granted else "refused", days


def records(
    n: int, seed: int = 1, effects: Effects | None = None, agency: str = "ngo-a", pending_share: float = 0.1
) -> list[Record]:
    """Shared records (already in the schema's generalised form: quarters, 10-year bands, M49 sub-regions)."""
    from trpkit.loading.coalition_policy import load_m49

    m49 = load_m49()
    out: list[Record] = []
    for row in raw_rows(n, seed, effects, agency, pending_share):
        submitted: date = row["submitted_date"]
        decided: date | None = row["decided_date"]
        age = int(row["age_years"])
        band = "18-24" if age < 25 else "25-34" if age < 35 else "35-44" if age < 45 else "45+"
        if age < 18:
            band = "0-17"
        gender = row["gender"]
        out.append(
            {
                "record_id": row["record_id"],
                "agency": agency,
                "application_type": row["application_type"],
                "submitted": f"{submitted.year}-Q{(submitted.month - 1) // 3 + 1}",
                "decided": None if decided is None else f"{decided.year}-Q{(decided.month - 1) // 3 + 1}",
                "processing_days": row["processing_days"],
                "outcome": row["outcome"],
                "duration_granted_months": row["duration_granted_months"],
                "policy_period": row["policy_period"],
                "exploitation_sector": row["exploitation_sector"],
                "gender": gender,
                "age_band": band,
                "origin_region": m49.area_of(row["country"], "sub_region"),
                "law_enforcement_cooperation": row["law_enforcement_cooperation"],
                "criminal_case_status": row["criminal_case_status"],
                "delphi_identified": row["delphi_identified"],
                "positive_dimensions": row["positive_dimensions"],
                "strong_indicators": row["strong_indicators"],
                "medium_indicators": row["medium_indicators"],
                "weak_indicators": row["weak_indicators"],
                "ircc_office": row["ircc_office"],
                "officer_label": row["officer_label"],
                "refusal_reasons": row["refusal_reasons"],
            }
        )
    return out
