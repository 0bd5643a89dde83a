"""pydantic models of the framework files: what each table may hold, its types and its choices.

The rules that need more than one field or file (ids matching the file name, a confirmed file saying
what was read, the crosswalk's ids existing) are checked in :mod:`trpkit.loading.frameworks`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, model_validator

from trpkit.domain.frameworks import FrenchStatus, Strength, Verification
from trpkit.loading.validate import DATA

Text = Annotated[str, Field(min_length=1)]
Texts = Annotated[list[Text], Field(min_length=1)]
LabelFr = Annotated[
    str,
    Field(
        min_length=1,
        description="the French label a French draft shows; mark a translation in [meta] french_status",
    ),
]


class Meta(BaseModel):
    model_config = DATA
    id: Annotated[str, Field(min_length=1, description="the file name without .toml")]
    kind: Text
    name: Text
    version: Text
    verification: Verification
    verification_note: str = ""
    sources: Annotated[
        list[Text],
        Field(min_length=1, description="a list of at least one citation (title, reference, address)"),
    ]
    checked: Annotated[list[Text], Field(description="what was read, where")] = []

    @model_validator(mode="after")
    def _confirmed_says_what_was_read(self) -> Meta:
        if self.verification is Verification.CONFIRMED and not self.checked:
            raise ValueError(
                "verification is 'confirmed' but 'checked' does not say what was read: "
                'add checked = ["copy, page or section: what it showed"]'
            )
        return self


class FrenchMeta(Meta):
    """A file whose items French drafts show: where its French comes from."""

    name_fr: Annotated[str, Field(min_length=1, description="the French name of this list")]
    french_status: Annotated[FrenchStatus, Field(description='"officielle" or "traduction non officielle"')]
    french_source: Annotated[str, Field(min_length=1, description="where the French wording comes from")]


class Checked(BaseModel):
    """An item's own verification; confirmed needs the page or section read."""

    model_config = DATA
    verification: Verification | None = None
    source: Annotated[str, Field(description="the page or section read")] = ""

    @model_validator(mode="after")
    def _confirmed_needs_a_source(self) -> Checked:
        if self.verification is Verification.CONFIRMED and not self.source:
            raise ValueError(
                "marked confirmed without a 'source' (say the copy and page or section it was read in)"
            )
        return self


class Authority(Checked):
    citation: Text
    holding: Text
    verification: Verification
    source: Annotated[str, Field(min_length=1, description="where it was read")]


class DelphiMeta(FrenchMeta):
    population: Literal["adult", "child"]
    exploitation: Literal["labour", "sexual"]
    complete: Annotated[StrictBool, Field(description="false while the list is not fully transcribed")]
    dimension_rule_verification: Verification
    identification_rule_verification: Verification


class French(BaseModel):
    """An entry a French draft shows: its English and French labels."""

    model_config = DATA
    label: Text
    label_fr: LabelFr
    label_fr_status: Annotated[
        FrenchStatus | None, Field(description="the file's french_status unless given")
    ] = None

    @model_validator(mode="after")
    def _translated(self) -> French:
        # A French label equal to the English one (beyond a short code) was not translated.
        if self.label_fr == self.label and re.search(r"[a-z]{4}", self.label_fr):
            raise ValueError("'label_fr' is the same as the English label: translate it")
        return self


class DimensionEntry(French):
    id: Text
    number: StrictInt
    role: Literal["recruitment", "exploitation", "destination"]


class IndicatorEntry(French, Checked):
    id: Text
    dimension: Text
    strength: Annotated[Strength, Field(description="strong, medium, weak or unrated")]
    verification: Verification
    note: str = ""


class CriterionEntry(French, Checked):
    id: Text
    description: Text


class DelphiFile(BaseModel):
    model_config = DATA
    meta: DelphiMeta
    dimensions: Annotated[list[DimensionEntry], Field(min_length=1, description="the six Delphi dimensions")]
    indicators: Annotated[list[IndicatorEntry], Field(min_length=1)]


class CriteriaMeta(FrenchMeta):
    match: Literal["any", "all"] | None = None
    authorities: list[Authority] = []


class CriteriaFile(BaseModel):
    model_config = DATA
    meta: CriteriaMeta
    criteria: Annotated[list[CriterionEntry], Field(min_length=1)]


ItemKey = Annotated[str, Field(pattern=r"^[1-6]\.\d\d$", description='a Delphi item number like "5.01"')]


class PromptsFile(BaseModel):
    model_config = DATA
    meta: Meta
    items: Annotated[
        dict[ItemKey, Texts], Field(min_length=1, description='questions per item number, "5.01" = [...]')
    ]


class CrosswalkLinks(BaseModel):
    model_config = DATA
    ilo: list[Text] = []
    ircc: list[Text] = []
    criminal_code: list[Text] = []


class CrosswalkFile(BaseModel):
    model_config = DATA
    meta: Meta
    items: Annotated[dict[ItemKey, CrosswalkLinks], Field(min_length=1)]
