"""Application types, stages and decision outcomes: values, plain-language labels, allowed steps."""

from __future__ import annotations

import re
from enum import StrEnum


class ApplicationType(StrEnum):
    INITIAL_TRP = "initial_trp"
    SUBSEQUENT_TRP = "subsequent_trp"
    OWP_TRP_HOLDER = "owp_trp_holder"
    OWP_VULNERABLE_WORKER = "owp_vulnerable_worker"
    STUDY_PERMIT = "study_permit"
    IFHP = "ifhp"
    PR_PERMIT_HOLDER = "pr_permit_holder"
    H_AND_C = "h_and_c"
    REFUGEE_CLAIM = "refugee_claim"


TYPE_LABELS: dict[str, str] = {
    "initial_trp": "Initial TRP (victim of trafficking in persons)",
    "subsequent_trp": "Subsequent TRP",
    "owp_trp_holder": "Open work permit (TRP holder)",
    "owp_vulnerable_worker": "Open work permit for vulnerable workers",
    "study_permit": "Study permit",
    "ifhp": "Interim Federal Health Program",
    "pr_permit_holder": "Permanent residence (permit holder class)",
    "h_and_c": "Humanitarian and compassionate application",
    "refugee_claim": "Refugee claim",
}
SHORT_LABELS: dict[str, str] = {
    "initial_trp": "initial TRP",
    "subsequent_trp": "subsequent TRP",
    "owp_trp_holder": "open work permit",
    "owp_vulnerable_worker": "OWP-V",
    "study_permit": "study permit",
    "ifhp": "IFHP",
    "pr_permit_holder": "PR (permit holder)",
    "h_and_c": "H&C",
    "refugee_claim": "refugee claim",
}

# Permits that expire, grouped so a subsequent TRP renews an initial one.
PERMIT_FAMILIES: dict[str, str] = {
    "initial_trp": "trp",
    "subsequent_trp": "trp",
    "owp_trp_holder": "work_permit",
    "owp_vulnerable_worker": "work_permit",
    "study_permit": "study_permit",
    "ifhp": "ifhp",
}
FAMILY_LABELS = {
    "trp": "TRP",
    "work_permit": "work permit",
    "study_permit": "study permit",
    "ifhp": "IFHP coverage",
}
TRP_TYPES = ("initial_trp", "subsequent_trp")


class Stage(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    INTERVIEW_SCHEDULED = "interview_scheduled"
    INFO_REQUESTED = "info_requested"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


STAGE_LABELS: dict[str, str] = {
    "draft": "draft",
    "submitted": "submitted",
    "acknowledged": "acknowledged by IRCC",
    "interview_scheduled": "interview scheduled",
    "info_requested": "information requested",
    "decided": "decided",
    "withdrawn": "withdrawn",
}
OPEN_STAGES = ("submitted", "acknowledged", "interview_scheduled", "info_requested")

# Which stage may follow which ("decided" is reached by recording a decision).
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    "draft": ("submitted", "withdrawn"),
    "submitted": ("acknowledged", "interview_scheduled", "info_requested", "withdrawn"),
    "acknowledged": ("interview_scheduled", "info_requested", "withdrawn"),
    "interview_scheduled": ("acknowledged", "interview_scheduled", "info_requested", "withdrawn"),
    "info_requested": ("acknowledged", "interview_scheduled", "info_requested", "withdrawn"),
    "decided": (),
    "withdrawn": (),
}


class Outcome(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    PARTIALLY_GRANTED = "partially_granted"
    WITHDRAWN = "withdrawn"
    RETURNED_INCOMPLETE = "returned_incomplete"


OUTCOME_LABELS: dict[str, str] = {
    "granted": "granted",
    "refused": "refused",
    "partially_granted": "partly granted",
    "withdrawn": "withdrawn",
    "returned_incomplete": "returned as incomplete",
}
GRANTING_OUTCOMES = ("granted", "partially_granted")
REASONED_OUTCOMES = ("refused", "partially_granted", "returned_incomplete")

# An officer is recorded by a pseudonymous label with at least one digit (e.g. VAN-03), so a
# person's name cannot be typed into the field by mistake.
_OFFICER_LABEL = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_.\-]{0,23}$")


def check_officer_label(label: str) -> str:
    value = label.strip()
    if value and not _OFFICER_LABEL.match(value):
        raise ValueError(
            f"officer label '{label}' is not a pseudonymous label: use letters and digits such as VAN-03 "
            "(at least one digit, no spaces), never the officer's name"
        )
    return value.upper()


def check_transition(current: str, new: str) -> None:
    if new == "decided":
        raise ValueError(
            "an application becomes 'decided' when you record the decision: trpkit decision record REF"
        )
    allowed = NEXT_STAGES.get(current, ())
    if new not in allowed:
        options = ", ".join(allowed) if allowed else "none (the application is closed)"
        raise ValueError(f"cannot go from '{current}' to '{new}': next stages allowed: {options}")
