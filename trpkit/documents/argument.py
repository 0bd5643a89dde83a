"""The argued part of a letter: each positive dimension with its facts and references, the Delphi rule,
convergence, and each IRCC criterion met with the facts that meet it.

Python decides what is argued (only positive dimensions, only supported criteria, every fact with the
exhibit or numbered passage of the account it rests on); the sentences around these pieces are in the
Word templates, so an organisation can reword them in Word. Nothing here states what the file does
not hold, and nothing internal (verification status, unmet dimensions) reaches the context.
"""

from __future__ import annotations

from typing import Any

from trpkit.documents.context_wording import WORDS

# French agreement from the person's recorded gender; inclusive forms only when unknown.
_FEMININE = {"woman", "female", "f", "femme", "trans woman", "femme trans", "girl", "fille"}
_MASCULINE = {"man", "male", "m", "homme", "trans man", "homme trans", "boy", "garçon"}


def agreement(gender: str) -> dict[str, str]:
    """Endings for French agreement: ``e`` ("exploitée"), ``il`` ("elle"), ``er`` ("étrangère")."""
    value = " ".join(gender.strip().lower().split())
    if value in _FEMININE:
        return {"e": "e", "il": "elle", "Il": "Elle", "er": "ère"}
    if value in _MASCULINE:
        return {"e": "", "il": "il", "Il": "Il", "er": "er"}
    return {"e": "(e)", "il": "cette personne", "Il": "Cette personne", "er": "er(ère)"}


def references(exhibits: tuple[int, ...], passages: tuple[int, ...], language: str) -> str:
    """ "exhibits 1, 3; account, passage 2" in the letter's language ("" when there is nothing)."""
    words = WORDS[language]
    parts = []
    numbers = sorted(set(exhibits))
    if numbers:
        label = words["exhibit"] if len(numbers) == 1 else words["exhibits"]
        parts.append(f"{label} {', '.join(str(n) for n in numbers)}")
    shown = sorted(set(passages))
    if shown:
        label = words["passage"] if len(shown) == 1 else words["passages"]
        parts.append(f"{words['account']}, {label} {', '.join(str(n) for n in shown)}")
    return "; ".join(parts)


def _counts(counts: tuple[int, int, int], language: str) -> str:
    words = WORDS[language]
    parts = []
    for n, key in zip(counts, ("strong", "medium", "weak"), strict=True):
        if n:
            noun = words["indicator"] if n == 1 else words["indicators"]
            strength = words[key] if n == 1 or language == "en" else words[key + "_pl"]
            parts.append(f"{n} {noun} {strength}" if language == "fr" else f"{n} {strength} {noun}")
    return words["and"].join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def _sentence(text: str) -> str:
    """A note as a sentence: capital first letter, one final full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."


def _indicator(ind: Any, language: str) -> dict[str, Any]:
    words = WORDS[language]
    return {
        "label": ind.label,
        # a weight the list does not give (an unrated item) is not stated: never "a unrated indicator"
        "strength": words[ind.strength] if ind.strength in ("strong", "medium", "weak") else "",
        "facts": " ".join(_sentence(f) for f in ind.facts if f.strip()),
        "refs": references(ind.exhibits, ind.passages, language),
    }


def argued(assessment: Any, language: str) -> dict[str, Any]:
    """The context of the argument (see docs/template-authoring.md, ``argument.*``)."""
    words = WORDS[language]
    dims = [d for d in assessment.dimensions if d.positive and d.indicators]
    criteria = [c for c in assessment.criteria if c.positive and c.indicators]
    labels = [d.label.lower() for d in dims]
    joined = words["and"].join([", ".join(labels[:-1]), labels[-1]]) if len(labels) > 1 else "".join(labels)
    return {
        "dimensions": [
            {
                "label": d.label,
                "rule": d.rule,
                "counts": _counts(d.counts, language),
                "indicators": [_indicator(i, language) for i in d.indicators],
            }
            for d in dims
        ],
        "identified": assessment.identified and bool(dims),
        "child": assessment.population == "child",
        "positive_labels": joined,
        "convergence": assessment.convergence and bool(dims),
        "convergence_detail": assessment.convergence_detail,
        "criteria": [
            {
                "label": c.label,
                "indicators": [_indicator(i, language) for i in c.indicators],
            }
            for c in criteria
        ],
        "criteria_count": len(criteria),
        "criteria_labels": "; ".join(c.label.lower() for c in criteria),
    }
