"""Domain data: every verified item names what it was read in; the corrected facts stay corrected."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from trpkit.domain.document_checklists import ItemState, ItemStatus, evaluate_item
from trpkit.domain.frameworks import Verification
from trpkit.loading.document_checklists import load_all, load_checklist
from trpkit.loading.errors import DataFileError as DocChecklistError
from trpkit.loading.frameworks import ChecklistError, load_frameworks
from trpkit.loading.ircc_periods import load_refusal_reasons
from trpkit.paths import checklists_dir


def test_every_confirmed_item_and_file_says_what_was_read() -> None:
    frameworks = load_frameworks()
    for lst in frameworks.delphi.values():
        assert lst.checked, lst.id  # what was read, even when it was not enough to confirm
        for item in lst.indicators:
            if item.verification is Verification.CONFIRMED:
                assert item.source, item.id
    for criteria in frameworks.criteria.values():
        if criteria.verification is Verification.CONFIRMED:
            assert criteria.checked, criteria.id
        for criterion in criteria.criteria:
            if criterion.verification is Verification.CONFIRMED:
                assert criterion.source, criterion.id
        for authority in criteria.authorities:
            assert authority.source and authority.holding


def test_corrected_facts() -> None:
    frameworks = load_frameworks()
    cc = frameworks.criteria["criminal_code"]
    assert "2012" in cc.version and "Bill C-310" in cc.version
    assert all("since 2012" in c.label for c in cc.criteria if c.id.startswith("CC-2"))
    assert [a.citation for a in cc.authorities] == ["R. v. A.A., 2015 ONCA 558"]
    assert "Sinclair" not in " ".join(a.citation for a in cc.authorities)
    ilo = frameworks.criteria["ilo"]
    assert "ILO Indicators of Forced Labour" in ilo.sources[0] and "2012" in ilo.sources[0]
    assert len(ilo.criteria) == 11 and all(c.verification is Verification.CONFIRMED for c in ilo.criteria)
    ircc = frameworks.criteria["ircc"].get("IRCC-1")
    assert "transfer or transport" in ircc.label and ircc.verification is Verification.SECONDARY
    adult = frameworks.get("delphi-adult-labour")
    counts = [len(adult.in_dimension(d.id)) for d in adult.dimensions]
    assert counts == [10, 10, 16, 9, 15, 7]  # as the second secondary summary reports
    assert adult.verification is Verification.SECONDARY  # weights were not read in the brochure


def test_refugee_claim_bar_is_dated_and_keeps_the_officers_discretion() -> None:
    reasons = {r.code: r for r in load_refusal_reasons(checklists_dir() / "refusal-reasons.toml")}
    bar = reasons["refugee_claim_bar"]
    assert (
        "December 2012" in bar.description and "Protecting Canada's Immigration System Act" in bar.description
    )
    assert "discretion" in bar.description and bar.sources


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), target)
    return target


def test_confirmed_without_a_source_or_check_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "ircc-vtip-criteria.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('source = "IRCC Ministerial Instructions (2007), para. (1)(b)', 'note = "x', 1)
    )
    with pytest.raises(ChecklistError, match="unknown key 'note'"):
        load_frameworks(directory)
    path.write_text(
        text.replace(
            'source = "IRCC Ministerial Instructions (2007), para. (1)(b), read on canada.ca (mi-htv)"', ""
        )
    )
    with pytest.raises(
        ChecklistError, match=r"ircc-vtip-criteria.toml, line \d+, criterion 'IRCC-2': marked confirmed"
    ):
        load_frameworks(directory)
    path.write_text(text.replace("checked = [", "ignored = [", 1))
    with pytest.raises(ChecklistError, match="unknown key 'ignored'"):
        load_frameworks(directory)
    start = text.index("checked = [")
    path.write_text(text[:start] + text[text.index("]\n", start) + 2 :])
    with pytest.raises(ChecklistError, match="'confirmed' but 'checked' does not say what was read"):
        load_frameworks(directory)


def test_an_authority_needs_a_source(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "criminal-code-279-04.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('source = "Headnote read')
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :])
    with pytest.raises(ChecklistError, match="authority 'R. v. A.A., 2015 ONCA 558' field 'source': missing"):
        load_frameworks(directory)


def test_an_expired_identity_document_warns_with_what_to_do() -> None:
    for checklist in load_all(checklists_dir()).values():
        item = checklist.item("identity-document")
        assert item.expires and "still proves identity" in item.expired_warning
        found = evaluate_item(
            item, ItemStatus(ItemState.OBTAINED, date(2020, 1, 1), date(2024, 1, 1)), date(2026, 1, 1)
        )
        assert found.problem == "expired"


def test_expired_warning_needs_an_expiring_item(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "documents-initial-trp.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "photos"')
    path.write_text(
        text[:start] + 'id = "photos"\nexpired_warning = "x"' + text[start + len('id = "photos"') :]
    )
    with pytest.raises(DocChecklistError, match="expired_warning needs expires = true"):
        load_checklist(path)
