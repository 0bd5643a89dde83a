"""``checklists/documents-*.toml``: one document checklist per application type, typed and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, model_validator

from trpkit.domain.document_checklists import ChecklistItem, DocumentChecklist
from trpkit.loading.errors import DataFileError
from trpkit.loading.source import read_toml
from trpkit.loading.validate import DATA, validate

Text = Annotated[str, Field(min_length=1)]


class Meta(BaseModel):
    model_config = DATA
    name: Text
    application_type: Text
    version: Text
    verification: Literal["confirmed", "secondary", "unconfirmed"]
    citation: Text


class Item(BaseModel):
    model_config = DATA
    # Stable ids: case files record a status per id.
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,47}$")]
    label: Text
    label_fr: str = ""
    required: StrictBool
    expires: StrictBool = False
    max_age_days: Annotated[StrictInt, Field(gt=0)] | None = None
    guidance: str = ""
    produced_by_draft: StrictBool = False
    # An expired copy that still serves (an expired passport proves identity): readiness warns with it.
    expired_warning: Text | None = None

    @model_validator(mode="after")
    def _warning_needs_expiry(self) -> Item:
        if self.expired_warning and not self.expires:
            raise ValueError("expired_warning needs expires = true (it says what to do when expired)")
        return self


class ChecklistFile(BaseModel):
    model_config = DATA
    meta: Meta
    item: Annotated[list[Item], Field(min_length=1)]


def load_checklist(path: Path) -> DocumentChecklist:
    source = read_toml(path)
    model = validate(source, ChecklistFile, {("item",): ("item", "id")})
    seen: set[str] = set()
    for index, item in enumerate(model.item):
        if item.id in seen:
            raise source.error(
                ("item", index, "id"), f"duplicate item id '{item.id}'", f"item {index + 1} field 'id'"
            )
        seen.add(item.id)
    items = tuple(
        ChecklistItem(
            i.id,
            i.label,
            i.label_fr,
            i.required,
            i.expires,
            i.max_age_days,
            i.guidance,
            i.produced_by_draft,
            i.expired_warning or "",
        )
        for i in model.item
    )
    meta = model.meta
    return DocumentChecklist(
        meta.application_type, meta.name, meta.version, meta.verification, meta.citation, items, path
    )


def load_all(directory: Path) -> dict[str, DocumentChecklist]:
    """Every documents-*.toml in ``directory``, by application type (one file per type)."""
    found: dict[str, DocumentChecklist] = {}
    for path in sorted(directory.glob("documents-*.toml")):
        checklist = load_checklist(path)
        if checklist.application_type in found:
            other = found[checklist.application_type].path.name
            source = read_toml(path)
            raise DataFileError(
                path,
                source.line(("meta", "application_type")),
                f"application type '{checklist.application_type}' already has a checklist in {other}",
            )
        found[checklist.application_type] = checklist
    return found
