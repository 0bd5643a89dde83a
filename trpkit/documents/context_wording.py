"""The drafting context's own words in English and French, and how a letter writes dates and lengths.

Month names come from CLDR (Babel); dates from the person's memory keep their real precision.
"""

from __future__ import annotations

from datetime import date

from babel.dates import get_month_names

from trpkit.domain.fuzzy_dates import FuzzyDate

# Month names from CLDR (Babel), as each language writes them ("janvier", "agosto", "May").
MONTHS = {
    language: [get_month_names("wide", locale=language)[n] for n in range(1, 13)] for language in ("en", "fr")
}
WORDS = {
    "en": {
        "unknown_birth": "not known",
        "no_uci": "not yet assigned",
        "exhibit": "exhibit",
        "exhibits": "exhibits",
        "strong": "strong",
        "medium": "medium",
        "weak": "weak",
        "present": "present",
        "reported_unsupported": "reported by the person",
        "reported": "reported by the person",
        "explored_absent": "explored, absent",
        "not_explored": "not explored",
        "positive": "positive",
        "not_positive": "indicators present",
        "supported": "indications present",
        "unsupported": "no indication recorded",
        "health": "Health",
        "housing": "Housing",
        "work": "Work",
        "ties_work": "Work",
        "ties_studies": "Studies and training",
        "ties_community": "Community",
        "ties_family": "Family",
        "ties_treatment": "Care and treatment",
        "translator_unknown": "translator not recorded",
        "months": "months",
        "days": "days",
        "at_least": "at least",
        "up_to": "up to",
        "unknown_date": "date unknown",
        "around": "around",
        "none": "none",
        "investigation": "under investigation",
        "prosecution": "before the courts",
        "concluded": "concluded",
        "reported_police": "reported to the police",
        "cooperating": "cooperating",
        "testified": "testified",
        "no_cooperation": "none",
        "the_person": "the person",
        "by_rule": "rule: ",
        "passage": "passage",
        "passages": "passages",
        "account": "account",
        "indicator": "indicator",
        "indicators": "indicators",
        "strong_pl": "strong",
        "medium_pl": "medium",
        "weak_pl": "weak",
        "and": " and ",
        "fee": (
            "No fee is payable: under the policy in force since {since} ({policy}), "
            "this application is exempt from fees."
        ),
    },
    "fr": {
        "unknown_birth": "inconnue",
        "no_uci": "pas encore attribué",
        "exhibit": "pièce",
        "exhibits": "pièces",
        "strong": "fort",
        "medium": "moyen",
        "weak": "faible",
        "present": "présent",
        "reported_unsupported": "rapporté par la personne",
        "reported": "rapporté par la personne",
        "explored_absent": "exploré, absent",
        "not_explored": "non exploré",
        "positive": "positive",
        "not_positive": "indicateurs présents",
        "supported": "indications présentes",
        "unsupported": "aucune indication notée",
        "health": "Santé",
        "housing": "Logement",
        "work": "Travail",
        "ties_work": "Travail",
        "ties_studies": "Études et formation",
        "ties_community": "Communauté",
        "ties_family": "Famille",
        "ties_treatment": "Soins et traitement",
        "translator_unknown": "traducteur non noté",
        "months": "mois",
        "days": "jours",
        "at_least": "au moins",
        "up_to": "jusqu'à",
        "unknown_date": "date inconnue",
        "around": "vers",
        "none": "aucune",
        "investigation": "enquête en cours",
        "prosecution": "devant les tribunaux",
        "concluded": "terminée",
        "reported_police": "signalé à la police",
        "cooperating": "collabore",
        "testified": "a témoigné",
        "no_cooperation": "aucune",
        "the_person": "la personne",
        "by_rule": "règle : ",
        "passage": "passage",
        "passages": "passages",
        "account": "récit",
        "indicator": "indicateur",
        "indicators": "indicateurs",
        "strong_pl": "forts",
        "medium_pl": "moyens",
        "weak_pl": "faibles",
        "and": " et ",
        "fee": (
            "Aucuns frais ne sont exigibles : selon la politique en vigueur depuis le "
            "{since} ({policy}), cette demande est exemptée des frais."
        ),
    },
}
COUNTRIES = {
    "MX": ("Mexico", "Mexique"),
    "GT": ("Guatemala", "Guatemala"),
    "PH": ("Philippines", "Philippines"),
    "IN": ("India", "Inde"),
    "NG": ("Nigeria", "Nigéria"),
    "HU": ("Hungary", "Hongrie"),
    "BR": ("Brazil", "Brésil"),
    "JM": ("Jamaica", "Jamaïque"),
    "CA": ("Canada", "Canada"),
    "UA": ("Ukraine", "Ukraine"),
    "HN": ("Honduras", "Honduras"),
    "SV": ("El Salvador", "El Salvador"),
    "CO": ("Colombia", "Colombie"),
    "HT": ("Haiti", "Haïti"),
    "CN": ("China", "Chine"),
    "VN": ("Viet Nam", "Viet Nam"),
    "TH": ("Thailand", "Thaïlande"),
    "KR": ("Republic of Korea", "République de Corée"),
    "RO": ("Romania", "Roumanie"),
    "MD": ("Moldova", "Moldavie"),
    "GH": ("Ghana", "Ghana"),
    "KE": ("Kenya", "Kenya"),
    "ET": ("Ethiopia", "Éthiopie"),
    "PK": ("Pakistan", "Pakistan"),
    "BD": ("Bangladesh", "Bangladesh"),
    "LK": ("Sri Lanka", "Sri Lanka"),
    "NP": ("Nepal", "Népal"),
    "PE": ("Peru", "Pérou"),
    "VE": ("Venezuela", "Venezuela"),
    "CU": ("Cuba", "Cuba"),
}


def format_date(day: date | None, language: str) -> str:
    if day is None:
        return WORDS[language]["unknown_date"]
    month = MONTHS[language][day.month - 1]
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_fuzzy(fd: FuzzyDate | None, language: str, in_sentence: bool = False) -> str:
    """A remembered date at its real precision, in the draft's language (the words as said if unparsed).

    ``in_sentence``: the form that follows a verb ("en mars 2019", "au printemps 2019" in French)."""
    if fd is None:
        return WORDS[language]["unknown_date"]
    from trpkit.domain.fuzzy_dates import format_fuzzy as write_back

    return write_back(fd, language, in_sentence=in_sentence)


def amount_text(days: int | None, language: str) -> str:
    """A length of time as people say it: 365 days is "12 months", 180 days stays "180 days"."""
    words = WORDS[language]
    if not days:
        return ""
    if days % 365 == 0:
        return f"{days // 365 * 12} {words['months']}"
    if days % 30 == 0 and days >= 360:
        return f"{days // 30} {words['months']}"
    return f"{days} {words['days']}"


def duration_text(days: int | None, kind: str, language: str) -> str:
    """ "at least 12 months" (minimum), "up to 180 days" (maximum), "12 months" (typical)."""
    if not days:
        return ""
    words = WORDS[language]
    prefix = {"minimum": words["at_least"] + " ", "maximum": words["up_to"] + " "}.get(kind, "")
    return prefix + amount_text(days, language)


def country_name(code: str, language: str) -> str:
    names = COUNTRIES.get(code.upper())
    if names is None:
        return code
    return names[0] if language == "en" else names[1]
