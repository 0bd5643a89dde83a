"""Trafficking or smuggling? A contrast of the elements, so a file described as "smuggling" gets a
second look.

Smuggling (IRPA s. 117) is an offence against the border: the migrant usually agrees to the crossing
and the relationship ends on arrival. Trafficking (IRPA s. 118, Criminal Code s. 279.01) is an offence
against the person: consent is vitiated by the means used, exploitation and control continue after
arrival, and no border crossing is needed at all. A person who agreed to be smuggled can still be
trafficked. This module never decides: it shows which elements the file already speaks to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# element id, label, what smuggling usually looks like, what points to trafficking, Delphi item numbers
ELEMENTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "consent_to_crossing",
        "Consent to the crossing",
        "The person agreed to be moved across the border and knew what they agreed to.",
        (
            "Agreement was obtained by deception or coercion, or the person was a child; consent is then "
            "irrelevant (Criminal Code s. 279.01(2))."
        ),
        ("1.01", "1.02", "1.03", "1.04", "1.06", "1.07", "2.01", "2.02", "2.03"),
    ),
    (
        "exploitation",
        "Exploitation",
        "No exploitation is intended: the service sold is the crossing itself.",
        "The person is made to work or provide services in exploitative conditions (pay, hours, housing, danger).",
        ("4.01", "4.02", "4.03", "4.04", "4.05", "4.06", "4.07", "5.07"),
    ),
    (
        "control_after_arrival",
        "Control after arrival",
        "The relationship ends on arrival; the person is free to go.",
        "Control continues after arrival: documents kept, confinement, surveillance, violence or threats.",
        ("5.01", "5.03", "5.04", "5.05", "5.08", "5.10", "5.11", "5.12", "5.13", "6.01"),
    ),
    (
        "debt",
        "Debt",
        "The fee is paid up front or settled on arrival.",
        "A debt for travel, fees or housing grows or is manipulated and is used to keep the person working.",
        ("2.04", "5.02", "4.03", "5.14", "6.03"),
    ),
    (
        "forced_criminality",
        "Forced criminality",
        "Any offence is the border offence itself.",
        "The person is made to commit offences (drug running, theft, fraud) for someone else's benefit.",
        ("5.06",),
    ),
)


@dataclass(frozen=True)
class ElementReading:
    id: str
    label: str
    smuggling: str
    trafficking: str
    reading: str  # "points to trafficking" | "no indication recorded" | "person says they agreed"
    indicators: tuple[str, ...]  # Delphi item numbers present in the file for this element


@dataclass(frozen=True)
class Contrast:
    elements: tuple[ElementReading, ...]
    points_to_trafficking: int
    summary: str


def contrast(
    present_keys: Iterable[str], consented_to_crossing: bool | None = None, child: bool = False
) -> Contrast:
    """Read the file's present Delphi items (by number, e.g. "5.01") against the five elements."""
    present = {k.split("-", 1)[-1] for k in present_keys}
    readings: list[ElementReading] = []
    for eid, label, smuggling, trafficking, keys in ELEMENTS:
        found = tuple(k for k in keys if k in present)
        if eid == "consent_to_crossing":
            if child:
                trafficking_note = "points to trafficking"
                reading = f"{trafficking_note} (a child cannot consent; means are not needed)"
            elif found:
                reading = "points to trafficking (agreement obtained by deception or coercion)"
            elif consented_to_crossing:
                reading = "person says they agreed: this alone does not rule out trafficking"
            else:
                reading = "no indication recorded"
        else:
            reading = "points to trafficking" if found else "no indication recorded"
        readings.append(ElementReading(eid, label, smuggling, trafficking, reading, found))
    count = sum(1 for r in readings if r.reading.startswith("points to trafficking"))
    after_arrival = [
        r.label.lower() for r in readings if r.id != "consent_to_crossing" and r.reading.startswith("points")
    ]
    if after_arrival:
        summary = (
            f"{count} of 5 elements point to trafficking (after arrival: {', '.join(after_arrival)}). "
            "Smuggling ends at the border; what happened afterwards is what matters. Do not let the "
            "word 'smuggling' close this file without a second look."
        )
    elif count:
        summary = (
            "The crossing itself was obtained by deception or coercion. Explore what happened after "
            "arrival before describing this as smuggling."
        )
    else:
        summary = (
            "Nothing recorded yet points to trafficking. That usually means the elements have not been "
            "explored, not that they are absent."
        )
    return Contrast(tuple(readings), count, summary)
