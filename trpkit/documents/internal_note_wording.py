"""The internal notes of a draft, written in the case's letter language.

The internal cover note and the Draft tab's notes travel with one letter: whoever reviews a French letter
(a supervisor, the organisation's lawyer) reads them beside it, so they are in the letter's language, not
half in each. Only the readiness warnings stay as the app words them (its interface is English).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from trpkit.domain.frameworks import VERIFICATION_LABELS_FR, DelphiList, Verification


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


# ``result`` is the case's CaseAssessment, a services DTO that documents/ may not import (layers).
def caveats(result: Any, delphi: DelphiList, language: str) -> list[str]:
    """The framework caveats (verification status, incomplete list, research instrument)."""
    if language != "fr":
        return [*result.caveats]
    notes = []
    if not delphi.complete:
        notes.append(
            f"Cette liste ({delphi.name_in('fr')}) est incomplète dans trpkit : elle n'a pas encore été "
            "transcrite de la brochure de l'OIT, et les indicateurs sans pondération connue ne sont pas "
            "comptés. Un résultat négatif sur cette liste ne signifie rien; les critères d'IRCC et le "
            "critère du Code criminel s'appliquent."
        )
    if delphi.verification is not Verification.CONFIRMED:
        notes.append(f"Pondération des indicateurs : {VERIFICATION_LABELS_FR[delphi.verification]}.")
    if delphi.identification_rule_verification is not Verification.CONFIRMED:
        notes.append(
            "La règle qui combine les dimensions en une identification est "
            f"{VERIFICATION_LABELS_FR[delphi.identification_rule_verification]}."
        )
    notes.append(
        "Les indicateurs Delphi sont un instrument de recherche, et non un critère juridique; "
        "l'évaluation préliminaire d'IRCC demande seulement une indication de l'un de ses quatre critères."
    )
    if result.unmatched_links:
        notes.append(
            f"Non comptés : {', '.join(result.unmatched_links)}, notés pour un élément que la liste "
            f"« {delphi.name_in('fr')} » ne contient pas."
        )
    return [" ".join(notes)]


def unmet_dimension(label: str, counts: tuple[int, int, int], language: str) -> str:
    strong, medium, weak = counts
    if language == "fr":
        return (
            f"La dimension « {label} » n'est pas positive selon les indicateurs notés "
            f"({_plural(strong, 'fort')}, {_plural(medium, 'moyen')}, {_plural(weak, 'faible')}) : "
            "elle est laissée hors de la lettre."
        )
    return (
        f"Dimension '{label}' is not positive on the recorded indicators "
        f"({strong} strong, {medium} medium, {weak} weak): left out of the letter."
    )


def verdict(result: Any, delphi: DelphiList, language: str) -> str:
    """Why the Delphi rule is not met (only called when it is not), without the caveats."""
    if language != "fr":
        text = result.explanation
        for caveat in result.caveats:
            text = text.replace(caveat, "")
        return " ".join(text.split())
    roles = {
        role: any(d.positive for d in result.dimensions if d.role == role)
        for role in ("recruitment", "exploitation", "destination")
    }
    child = delphi.population == "child"
    if child and roles["exploitation"] and not roles["recruitment"]:
        return (
            "Pour un enfant, l'exploitation est positive et aucun moyen n'est requis; l'élément de "
            "recrutement n'est pas encore documenté (comment l'enfant a été recruté, déplacé ou reçu) : "
            "ce n'est pas une conclusion négative."
        )
    missing = []
    if not roles["recruitment"]:
        missing.append("une dimension de recrutement positive")
    if not roles["exploitation"]:
        missing.append("des conditions d'exploitation positives")
    if not child and not roles["destination"]:
        missing.append("une coercition ou un abus de vulnérabilité à destination positifs")
    who = "un enfant" if child else "un adulte"
    return f"Non identifiée selon la règle Delphi pour {who} : il manque encore {'; '.join(missing)}."


def criterion_gap(label: str, language: str) -> str:
    if language == "fr":
        return f"Critère d'IRCC « {label} » : aucune indication notée (laissé hors de la lettre)."
    return f"IRCC criterion '{label}': no indication recorded (left out of the letter)."


def threshold_not_met(language: str) -> str:
    if language == "fr":
        return (
            "Le seuil Delphi n'est pas atteint selon les indicateurs notés; la lettre s'appuie sur les "
            "critères d'IRCC (voir les lacunes dans l'onglet Indicators)."
        )
    return (
        "The Delphi threshold is not met on the recorded indicators; the letter relies on the IRCC "
        "criteria (see the Indicators tab for the gaps)."
    )


def permit_ended(valid_to: date, language: str) -> str:
    if language == "fr":
        return (
            f"Le PST a pris fin le {valid_to.isoformat()}. Un PST n'est pas prolongé : la lettre demande un "
            "nouveau permis. L'interruption rompt la durée continue sous permis que compte la catégorie des "
            "titulaires de permis (RIPR art. 64-65); vérifiez le décompte (trpkit clock) et demandez-vous si "
            "une demande initiale convient mieux aux faits."
        )
    return (
        f"The TRP ended on {valid_to.isoformat()}. A TRP is not extended: the letter asks for a new permit. "
        "The lapse breaks the continuous time on permits that the permit holder class (IRPR ss. 64-65) "
        "counts; check the clock (trpkit clock) and consider whether an initial request suits the facts "
        "better."
    )
