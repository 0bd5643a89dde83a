"""What the letter states: nothing blank, nothing false (issue 12, part 1). Blockers for anything a letter
would leave blank or state falsely, warnings for what it omits; :func:`trpkit.domain.readiness.check`
adds them to the case's findings."""

from __future__ import annotations

import re

from trpkit.domain.readiness import BLOCKER, NEEDS_PREVIOUS_PERMIT, TIES, WARNING, Finding, ReadinessInput

# Sections a letter cannot go without: each entry is "at least one of these" (names as in
# ReadinessInput.sections_filled). A heading with nothing under it is never printed.
MANDATORY_SECTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "trp-initial": (
        ("chronology",),
        ("account",),
        ("criteria",),
        ("vulnerabilities", "safety", "risks_on_return"),
    ),
    "trp-subsequent": (
        ("continued_need",),
        ("recovery", "safety"),
        ("chronology",),
        ("criteria",),
    ),
    "owp-cover": (("needs_work",),),
    "exhibit-index": (("exhibits",),),
}


SECTION_NAMES = {
    "chronology": ("the chronology", "Timeline tab"),
    "account": ("a summary of the person's account (or quotable own words)", "Narrative tab"),
    "criteria": ("an indication of at least one IRCC criterion", "Indicators tab"),
    "exhibits": ("at least one exhibit", "Evidence tab"),
    "vulnerabilities": ("vulnerabilities", "Draft tab notes"),
    "safety": ("safety", "Draft tab notes"),
    "risks_on_return": ("risks on return", "Draft tab notes"),
    "continued_need": ("continued need for protection", "Draft tab notes"),
    "recovery": ("recovery", "Draft tab notes"),
    "needs_work": ("work needs", "Draft tab notes"),
}


_NOT_FOREIGN = re.compile(
    r"\b(?:citizen|citoyen(?:ne)?|permanent\s+resident|r[ée]sident(?:e)?\s+permanent(?:e)?|PR)\b",
    re.IGNORECASE,
)


LETTERS = ("trp-initial", "trp-subsequent", "owp-cover")


def not_a_foreign_national(nationality: str, immigration_status: str) -> str:
    """Why IRPA s. 24(1) cannot apply (it is for foreign nationals), or "" when nothing says so."""
    if nationality.strip().upper() == "CA":
        return "the recorded nationality is Canada"
    match = _NOT_FOREIGN.search(immigration_status)
    if match and not re.search(r"\b(?:not|no|non|pas)\b", immigration_status, re.IGNORECASE):
        return f"the recorded immigration status is '{immigration_status.strip()}'"
    return ""


def letter_findings(data: ReadinessInput) -> list[Finding]:
    """Blockers for anything the letter would leave blank or state falsely; warnings for what it omits."""
    code = data.case_code
    found = _organisation_findings(data) + _section_findings(data)
    why = not_a_foreign_national(data.nationality, data.immigration_status)
    if why and data.template in LETTERS:
        found.append(
            Finding(
                BLOCKER,
                "not-foreign-national",
                f"A TRP (IRPA s. 24(1)) is for a foreign national, but {why}: a Canadian citizen or "
                "permanent resident does not need one. Correct the file if it is wrong.",
                f"trpkit case edit {code} --set person.nationality=... / person.immigration_status=... "
                "(Person tab)",
            )
        )
    found += _permit_findings(data)
    for label in data.unsupported_dimensions:
        found.append(
            Finding(
                BLOCKER,
                "dimension-unsupported",
                f"The letter would argue '{label}' without pointing to anything: none of its indicators "
                "is linked to an exhibit or to an entry of the person's account.",
                f"trpkit indicators link {code} ID --exhibit N | --entry N (Indicators tab)",
            )
        )
    return found + _omission_findings(data)


def _organisation_findings(data: ReadinessInput) -> list[Finding]:
    if not data.organisation_missing:
        return []
    return [
        Finding(
            BLOCKER,
            "organisation",
            "The letter would show blanks where the organisation's "
            + ", ".join(data.organisation_missing)
            + " should be.",
            "trpkit org set ... (or the settings screen: Draft tab, 'Organisation')",
        )
    ]


def _section_findings(data: ReadinessInput) -> list[Finding]:
    found = []
    for group in MANDATORY_SECTIONS.get(data.template, ()):
        if any(name in data.sections_filled for name in group):
            continue
        names = " or ".join(SECTION_NAMES[name][0] for name in group)
        where = SECTION_NAMES[group[0]][1]
        fix = (
            where
            if where != "Draft tab notes"
            else f"trpkit draft-notes {data.case_code} --set {group[0]}=..."
        )
        found.append(
            Finding(
                BLOCKER,
                "section-empty",
                f"The letter needs {names}: that section would be empty.",
                f"{fix} ({where})",
            )
        )
    return found


def _permit_findings(data: ReadinessInput) -> list[Finding]:
    end = data.permit_valid_to
    if end is None or end >= data.today or data.template not in NEEDS_PREVIOUS_PERMIT:
        return []
    if data.template == "owp-cover":
        return [
            Finding(
                BLOCKER,
                "permit-lapsed",
                f"The TRP ended on {end.isoformat()}: an open work permit for a TRP holder needs a "
                "permit in force. Request a new TRP first.",
                f"trpkit draft {data.case_code} -t trp-subsequent ...",
            )
        ]
    return [
        Finding(
            WARNING,
            "permit-lapsed",
            f"The TRP ended on {end.isoformat()}: the letter says so and asks for a new permit (a TRP "
            "cannot be restored or extended once it has ended). The lapse breaks the continuous time on "
            "permits the permit holder class counts; the internal note explains it.",
            f"trpkit clock {data.case_code} (Applications tab)",
        )
    ]


def _omission_findings(data: ReadinessInput) -> list[Finding]:
    """What the letter would leave out or show in English: ties in Canada, health coverage, translations."""
    code = data.case_code
    found: list[Finding] = []
    if data.template == "trp-subsequent" and not data.notes_filled & set(TIES):
        found.append(
            Finding(
                WARNING,
                "ties-missing",
                "No ties in Canada are recorded (work, studies, community, family, treatment): the letter "
                "cannot argue them among the factors for a longer-term permit. Record what the person has "
                "built here, if anything.",
                f"trpkit draft-notes {code} --set ties_work=... | ties_studies= | ties_community= | "
                "ties_family= | ties_treatment= (Draft tab notes)",
            )
        )
    if data.request_ifhp and data.health_coverage == "unknown" and data.template in LETTERS[:2]:
        found.append(
            Finding(
                WARNING,
                "health-coverage",
                "IFHP is requested but the file does not say whether the person has other health "
                "coverage: the letter asks for IFHP without saying they have none.",
                f"trpkit draft-notes {code} --set health_coverage=none|other (Draft tab)",
            )
        )
    if data.untranslated:
        found.append(
            Finding(
                WARNING if data.redacted else BLOCKER,
                "untranslated",
                "A French letter would show English: no French version of "
                + "; ".join(data.untranslated)
                + ".",
                f"trpkit translations set {code} PIECE --text ... --translator ... (Draft tab, French versions)",
            )
        )
    return found
