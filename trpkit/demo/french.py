"""French versions of the demo's generated content, stored in the translation store (marked as demo).

A French draft of a demo case needs a French version of every piece it shows (trpkit.services.
translations). The demo writes its content from fixed sentences, so it knows their French: this last pass
finds each generated text (chronology titles, exhibit titles and sources, notes on indicator links,
summaries and quotes from the phrase bank) and stores its French version with the translator
``DEMO_TRANSLATOR``, so a reader always sees that it is a generated demo translation. Texts it does not
know are left for the accompanier, as in a real file. It draws nothing from the shared random source.
"""

from __future__ import annotations

import random
import re
from datetime import date
from functools import lru_cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models.evidence import EvidenceItem, IndicatorLink
from trpkit.db.models.narrative import NarrativeEntry, TimelineEvent
from trpkit.db.models.translations import LetterTranslation
from trpkit.demo import DemoCase
from trpkit.demo.evidence import DESCRIPTIONS, WORKPLACE_DESCRIPTIONS
from trpkit.demo.narrative import STORY
from trpkit.demo.phrases import IN_MONTH, PLACES, QUOTES, SUMMARIES, WORK_TITLES, Phrase, place
from trpkit.demo.rows import table_of
from trpkit.demo.story import MONTHS, month_phrase
from trpkit.services.actor import Actor
from trpkit.services.translations import sha256

DEMO_TRANSLATOR = "Interprète fictive, démo"  # the letter shows "Traduction (Interprète fictive, démo)"

TITLES_FR = dict(
    zip(
        [title for _type, title in STORY],
        [
            "Offre d'emploi à l'étranger par une agence",
            "Départ du domicile",
            "Arrivée au Canada",
            "Passeport confisqué par l'employeur",
            "Début du travail",
            "Annonce que la dette avait augmenté",
            "Sorties interdites sans accompagnement",
            "Transfert vers un autre lieu de travail",
            "Départ du lieu de travail, la nuit",
            "Première rencontre avec l'organisme",
        ],
        strict=True,
    )
)
WORK_TITLES_FR = {
    "agriculture": "Début du travail à la ferme",
    "construction": "Début du travail sur un chantier",
    "domestic_work": "Début du travail domestique",
    "hospitality": "Début du travail au restaurant",
    "manufacturing": "Début du travail à l'usine",
    "sex_trade": "Mise au travail forcée au salon de massage",
}
DESCRIPTIONS_FR = {
    "account": "Récit de la personne, recueilli lors d'une rencontre d'accompagnement (fictif)",
    "document": "Copie d'un document conservé par la personne (fictif)",
    "contract": "Contrat de travail tel que signé avant le départ (fictif)",
    "pay_record": "Bulletins de paie montrant des retenues pour le logement et le transport (fictifs)",
    "message_or_photo": "Captures d'écran de messages du recruteur (fictives)",
    "medical_report": "Lettre d'une clinique sur des blessures et du stress (fictive)",
    "police_or_inspection_report": "Rapport d'inspection du travail sur le lieu de travail (fictif)",
    "third_party_letter": "Lettre d'appui d'une intervenante communautaire (fictive)",
}
WORKPLACE_FR = {
    "contract": "Contrat de travail pour {job}, tel que signé avant le départ (fictif)",
    "pay_record": "Bulletins de paie pour {job}, montrant des retenues pour le logement et le transport "
    "(fictifs)",
}
JOBS_FR = {
    "agriculture": "un emploi à la ferme",
    "construction": "un emploi sur le chantier",
    "domestic_work": "un emploi d'aide ménagère chez un employeur",
    "hospitality": "un emploi au restaurant",
    "manufacturing": "un emploi à l'usine",
    "sex_trade": "un emploi au salon de massage",
}
OTHER_FR = {
    "the person": "la personne",
    "fictional source": "source fictive",
    "mentioned at intake (fictional)": "mentionné à l'accueil (fictif)",
    "asked gently; the person said no": "question posée avec délicatesse; la personne a répondu non",
}


@lru_cache(maxsize=1)
def fixed_texts() -> dict[str, str]:
    """Every fixed English text the demo writes -> its French."""
    texts = {**TITLES_FR, **OTHER_FR}
    texts.update({WORK_TITLES[s]: WORK_TITLES_FR[s] for s in WORK_TITLES})
    texts.update({DESCRIPTIONS[k]: DESCRIPTIONS_FR[k] for k in DESCRIPTIONS})
    for sector in PLACES:
        where = "an employer's house as a housekeeper" if sector == "domestic_work" else place(sector, "en")
        for kind, english in WORKPLACE_DESCRIPTIONS.items():
            texts[english.format(place=where)] = WORKPLACE_FR[kind].format(job=JOBS_FR[sector])
    return texts


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], Phrase, str]]:
    """A pattern per phrase and language, capturing the date phrase and the place."""
    found = []
    for phrase in (*QUOTES, *SUMMARIES):
        for language, template in phrase.text.items():
            body = (
                re.escape(template)
                .replace(r"\{when\}", "(?P<when>.+?)")
                .replace(r"\{place\}", "(?P<place>.+?)")
            )
            found.append((re.compile(f"(?i){body}"), phrase, language))
    return found


def _month_of(when: str, language: str) -> date | None:
    for number, name in enumerate(MONTHS[language], 1):
        match = re.search(rf"{re.escape(name)}(?: de)? (\d{{4}})", when, re.IGNORECASE)
        if match:
            return date(int(match.group(1)), number, 1)
    return None


@lru_cache(maxsize=65536)  # the demo repeats its sentences across cases: match each once
def french_sentence(sentence: str, sector: str) -> str | None:
    """The French of one phrase-bank sentence in any of the demo's languages (None if unknown)."""
    for pattern, phrase, language in _patterns():
        match = pattern.fullmatch(sentence)
        if not match:
            continue
        groups = match.groupdict()
        when = ""
        if groups.get("when"):
            day = _month_of(groups["when"], language)
            if day is None:
                continue
            when = IN_MONTH["fr"].format(m=month_phrase(day, "fr"))
        return phrase.render("fr", when, place(sector, "fr", summary=phrase in SUMMARIES))
    return None


def french_of(text: str, sector: str) -> str | None:
    """The French version of a text the demo generated, or None when the demo did not write it."""
    known = fixed_texts().get(text.strip())
    if known:
        return known
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    french = [french_sentence(s, sector) for s in sentences]
    return " ".join(f for f in french if f) if all(french) else None


def _pieces(session: Session, ids: list[int]) -> list[tuple[int, str, str]]:
    """(case id, piece, original) of every generated text a letter may show."""
    found: list[tuple[int, str, str]] = []
    for case_id, event_id, title, where in session.execute(
        select(TimelineEvent.case_id, TimelineEvent.id, TimelineEvent.title, TimelineEvent.place).where(
            TimelineEvent.case_id.in_(ids)
        )
    ):
        if title.strip():
            found.append((case_id, f"event:{event_id}", f"{title} ({where})" if where.strip() else title))
    for case_id, number, description, source in session.execute(
        select(
            EvidenceItem.case_id, EvidenceItem.exhibit_number, EvidenceItem.description, EvidenceItem.source
        ).where(EvidenceItem.case_id.in_(ids))
    ):
        found += [(case_id, f"exhibit:{number}", description), (case_id, f"exhibit-source:{number}", source)]
    for case_id, link_id, note in session.execute(
        select(IndicatorLink.case_id, IndicatorLink.id, IndicatorLink.note).where(
            IndicatorLink.case_id.in_(ids)
        )
    ):
        found.append((case_id, f"link:{link_id}", note))
    for case_id, entry_id, text, language in session.execute(
        select(NarrativeEntry.case_id, NarrativeEntry.id, NarrativeEntry.text, NarrativeEntry.language).where(
            NarrativeEntry.case_id.in_(ids)
        )
    ):
        if language != "fr":
            found.append((case_id, f"entry:{entry_id}", text))
    return found


def version_row(case_id: int, piece: str, original: str, french: str, actor: Actor) -> dict[str, object]:
    now = utcnow()
    return {
        "case_id": case_id,
        "piece": piece,
        "language": "fr",
        "source_sha256": sha256(original),
        "text": french,
        "translator": DEMO_TRANSLATOR,
        "updated_by_id": actor.user_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    sectors = {case.id: case.sector for case in cases}
    ids = sorted(sectors)
    rows: list[dict[str, object]] = []
    for start in range(0, len(ids), 5000):
        for case_id, piece, original in _pieces(session, ids[start : start + 5000]):
            french = french_of(original, sectors[case_id]) if original.strip() else None
            if french:
                rows.append(version_row(case_id, piece, original, french, actor))
    if rows:
        session.execute(insert(table_of(LetterTranslation)), rows)
