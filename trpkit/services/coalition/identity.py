"""Keyed record ids, and the normalisation of the fields they and the export are computed from."""

from __future__ import annotations

import functools
import hmac
import re
import unicodedata
from datetime import date

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def _plain(text: str) -> str:
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", text.casefold())


def normalise_name(name: str) -> str:
    """Accents, case, punctuation and word order do not matter: 'López, María' == 'maria lopez'."""
    return " ".join(sorted(_plain(name).split()))


def normalised_identity(
    legal_name: str, birth_earliest: date | None, birth_latest: date | None, nationality: str
) -> str:
    if birth_earliest is not None and birth_earliest == birth_latest:
        birth = birth_earliest.isoformat()
    elif birth_earliest is not None and birth_latest is not None and birth_earliest.year == birth_latest.year:
        birth = str(birth_earliest.year)
    else:
        birth = ""
    return f"{normalise_name(legal_name)}|{birth}|{nationality.strip().upper()}"


def keyed_id(secret: bytes, *parts: str) -> str:
    message = "\x1f".join(("trpkit-coalition-v1", *parts)).encode("utf-8")
    return hmac.digest(secret, message, "sha256").hex()


def record_id_for(
    secret: bytes, identity: str, application_type: str, submitted: date, occurrence: int = 1
) -> str:
    suffix = "" if occurrence == 1 else f"#{occurrence}"
    return keyed_id(secret, identity, application_type, f"{submitted.year:04d}-{submitted.month:02d}{suffix}")


class _RecordNumbering:
    """Record ids in export order: the n-th row of one identity, application type and month is '#n'.
    Export and the ids owed by a destroyed case must number alike, so both go through this."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret
        self.seen: dict[tuple[str, str, int, int], int] = {}

    def next_id(self, identity: str, application_type: str, submitted: date) -> str:
        base = (identity, application_type, submitted.year, submitted.month)
        self.seen[base] = occurrence = self.seen.get(base, 0) + 1
        return record_id_for(self.secret, identity, application_type, submitted, occurrence)


_GENDER_WORDS = {
    "woman": "woman",
    "female": "woman",
    "f": "woman",
    "femme": "woman",
    "mujer": "woman",
    "girl": "woman",
    "man": "man",
    "male": "man",
    "m": "man",
    "homme": "man",
    "hombre": "man",
    "boy": "man",
    "trans woman": "trans_woman",
    "transgender woman": "trans_woman",
    "trans female": "trans_woman",
    "trans man": "trans_man",
    "transgender man": "trans_man",
    "trans male": "trans_man",
    "non binary": "gender_diverse",
    "nonbinary": "gender_diverse",
    "two spirit": "gender_diverse",
    "genderqueer": "gender_diverse",
    "gender diverse": "gender_diverse",
    "gender non conforming": "gender_diverse",
    "agender": "gender_diverse",
    "enby": "gender_diverse",
}


@functools.lru_cache(maxsize=4096)
def normalise_gender(text: str) -> str:
    return _GENDER_WORDS.get(" ".join(_plain(text or "").split()), "unknown")


@functools.lru_cache(maxsize=4096)
def normalise_office(text: str) -> str:
    plain = _plain(text or "").replace("ircc", " ").replace("office", " ")
    return "_".join(plain.split())


def _age_at(earliest: date | None, latest: date | None, on: date) -> float | None:
    if earliest is None and latest is None:
        return None
    low = earliest or latest
    high = latest or earliest
    assert low is not None and high is not None
    middle = low + (high - low) / 2
    return (on - middle).days / 365.2425
