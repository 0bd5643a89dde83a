"""Pure rules: readiness findings, redaction, document checklists (loader errors and evaluation)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trpkit.domain import readiness as r
from trpkit.domain.document_checklists import ItemState, ItemStatus, evaluate
from trpkit.domain.redaction import build_redactor
from trpkit.loading.document_checklists import load_all, load_checklist
from trpkit.loading.errors import DataFileError as ChecklistError
from trpkit.paths import checklists_dir

TODAY = date(2026, 3, 3)


def ready_input(**changes) -> r.ReadinessInput:  # type: ignore[no-untyped-def]
    base = {
        "case_code": "TRP-2026-0001",
        "template": "trp-initial",
        "today": TODAY,
        "consents": {"submit_to_ircc": True, "quote_own_words": True},
        "person_name": "A B",
        "birth_date": "1990",
        "uci": "1",
        "events": (r.EventIn("arrival", "June 2019", True),),
        "exhibit_numbers": ("1",),
        "notes_filled": frozenset({"vulnerabilities", "risks_on_return", "safety"}),
        "sections_filled": frozenset(
            {"chronology", "account", "criteria", "exhibits", "vulnerabilities", "safety", "needs_work"}
        ),
    }
    base.update(changes)
    return r.ReadinessInput(**base)  # type: ignore[arg-type]


def codes(findings: list[r.Finding]) -> list[tuple[str, str]]:
    return [(f.severity, f.code) for f in findings]


def test_a_complete_case_is_ready() -> None:
    assert r.check(ready_input()) == []


def test_no_consent_to_submit_blocks_unless_redacted() -> None:
    blocked = r.check(ready_input(consents={}))
    assert ("blocker", "consent-submit") in codes(blocked)
    assert "consent record TRP-2026-0001 --purpose submit_to_ircc" in blocked[0].fix
    redacted = r.check(ready_input(consents={}, redacted=True))
    assert ("warning", "consent-submit") in codes(redacted) and not r.blockers(redacted)


def test_quotes_without_consent_are_a_warning() -> None:
    found = r.check(ready_input(consents={"submit_to_ircc": True}, own_words_count=3))
    assert codes(found) == [("warning", "consent-quote")]
    assert "3 passage(s)" in found[0].message


def test_dates_conflicting_block_unparsed_warn() -> None:
    found = r.check(
        ready_input(
            events=(
                r.EventIn("arrival", "June 2019", True, "after the escape"),
                r.EventIn("escape", "when it was cold", False),
            )
        )
    )
    assert ("blocker", "date-conflict") in codes(found)
    assert ("warning", "date-unparsed") in codes(found)
    assert any("'when it was cold'" in f.message for f in found)


def test_cited_exhibits_must_exist() -> None:
    found = r.check(ready_input(cited_exhibits=("1", "7", "12")))
    assert codes(found) == [("blocker", "exhibit-missing")]
    assert "7, 12" in found[0].message


def test_indicator_resting_only_on_the_account_warns() -> None:
    found = r.check(ready_input(indicators=(r.IndicatorIn("AL-5.03", "Isolated", "present", 0),)))
    assert codes(found) == [("warning", "indicator-unsupported")]


def test_subsequent_needs_a_previous_permit_and_its_sections() -> None:
    found = r.check(ready_input(template="trp-subsequent", previous_permit=False))
    assert ("blocker", "previous-permit") in codes(found)
    unnumbered = r.check(
        ready_input(
            template="owp-cover", previous_permit_number=False, notes_filled=frozenset({"needs_work"})
        )
    )
    assert codes(unnumbered) == [("warning", "previous-permit-number")]
    # continued need is mandatory in a subsequent letter: a blocker; recovery is covered by safety
    assert [f.message for f in found if f.code == "section-empty"] == [
        "The letter needs continued need for protection: that section would be empty."
    ]


def test_checklist_documents() -> None:
    checklist = load_all(checklists_dir())["initial_trp"]
    statuses = {item.id: ItemStatus(ItemState.OBTAINED, date(2026, 1, 1)) for item in checklist.items}
    statuses["identity-document"] = ItemStatus(
        ItemState.OBTAINED, date(2025, 1, 1), expires_on=date(2026, 2, 1)
    )
    statuses["photos"] = ItemStatus(ItemState.OBTAINED, date(2025, 1, 1))
    statuses["application-form"] = ItemStatus(ItemState.REQUESTED)
    found = r.check(ready_input(checklist=checklist, checklist_status=statuses))
    # an expired passport still proves identity: a warning saying to explain it, not a blocker
    assert ("warning", "document-expired") in codes(found)
    assert ("blocker", "document-expired") not in codes(found)
    assert any("still proves identity" in f.message for f in found if f.code == "document-expired")
    assert ("warning", "document-too-old") in codes(found)
    assert ("warning", "document-missing") in codes(found)
    assert not any("Submission letter" in f.message for f in found)  # the letter being drafted


@given(
    st.sets(st.sampled_from(["submit_to_ircc", "quote_own_words"])),
    st.booleans(),
    st.lists(st.sampled_from(["1", "2", "3"]), max_size=3),
)
def test_more_exhibits_never_add_problems(consents, redacted, cited) -> None:  # type: ignore[no-untyped-def]
    base = ready_input(
        consents=dict.fromkeys(consents, True),
        redacted=redacted,
        cited_exhibits=tuple(cited),
        exhibit_numbers=("1",),
    )
    more = ready_input(
        consents=dict.fromkeys(consents, True),
        redacted=redacted,
        cited_exhibits=tuple(cited),
        exhibit_numbers=("1", "2", "3"),
    )
    assert set(codes(r.check(more))) <= set(codes(r.check(base)))


# -------------------------------------------------------------------------------------------------- redaction


def test_redaction_replaces_identifiers_by_roles() -> None:
    redactor = build_redactor(
        "en",
        person_names=["Marisol Brennvik", "Mari"],
        birth_dates=["12 March 1991"],
        uci="1234-5678",
        others=[("Granja Verde Farms", "employer")],
    )
    text = (
        "Marisol Brennvik (born 12 March 1991, UCI 1234-5678) worked for Granja Verde at 45 Rue Saint-Denis, "
        "H2X 1A1; call 514-555-0199 or write to m.b@example.org. BRENNVIK said it in 2019."
    )
    out = redactor.apply(text)
    for secret in (
        "Marisol",
        "Brennvik",
        "BRENNVIK",
        "12 March 1991",
        "1234-5678",
        "Granja",
        "Saint-Denis",
        "H2X",
        "514",
        "example.org",
    ):
        assert secret not in out
    assert out.startswith("[the person] (born [date of birth], UCI [UCI]) worked for [employer] at [address]")
    assert "2019" in out  # a year is not a phone number
    fr = build_redactor("fr", person_names=["Marisol"]).apply("Marisol a parlé.")
    assert fr == "[la personne] a parlé."


def test_redacted_context_replaces_identity_and_dependants() -> None:
    import dataclasses

    from trpkit.documents.context import PersonData, SummaryItem, build_context
    from trpkit.documents.context_example import example_data

    data = dataclasses.replace(
        example_data(),
        person=PersonData(
            "Marisol Brennvik",
            "",
            (),
            "1991",
            "MX",
            "1234-5678",
            ({"name": "Tomás Brennvik", "relationship": "son"},),
        ),
        summaries=(SummaryItem(1, "Born in 1991, Marisol came with Tomás in 2019."),),
    )
    redactor = build_redactor(
        "en", person_names=["Marisol Brennvik"], uci="1234-5678", others=[("Tomás Brennvik", "dependant")]
    )
    context = build_context(data, redactor)
    assert context["person"] == {
        "name": "[the person]",
        "birth_date": "[date of birth]",
        "nationality": "Mexico",
        "uci": "[UCI]",
    }
    assert context["request"]["dependants"] == [{"name": "[dependant]", "relationship": "son"}]
    assert context["summaries"] == [
        {"number": "1", "text": "Born in 1991, [the person] came with [dependant] in 2019."}
    ]
    assert context["doc"]["redacted"] is True


def test_redaction_keeps_words_that_merely_contain_a_name() -> None:
    redactor = build_redactor("en", person_names=["Ana"])
    assert redactor.apply("Ana met an analyst in Banana Bay.") == "[the person] met an analyst in Banana Bay."


# -------------------------------------------------------------------------------------------------- checklists


def test_repository_checklists_load() -> None:
    found = load_all(checklists_dir())
    assert set(found) == {"initial_trp", "subsequent_trp", "owp_trp_holder"}
    for checklist in found.values():
        assert checklist.verification == "unconfirmed" and checklist.citation
        assert any(i.required for i in checklist.items) and any(i.expires for i in checklist.items)
        assert all(i.label_fr for i in checklist.items if i.required)


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ('[meta]\nname="x"\n', 1, "[meta] field 'application_type': missing"),
        (
            '[meta]\nname="x"\napplication_type="t"\nversion="1"\nverification="sure"\ncitation="c"\n[[item]]\nid="ab"\n',
            5,
            "[meta] field 'verification': 'sure' is not allowed: use one of confirmed, secondary, unconfirmed",
        ),
        (
            (
                '[meta]\nname="x"\napplication_type="t"\nversion="1"\nverification="confirmed"\ncitation="c"\n\n'
                '[[item]]\nid="ab"\nlabel="A"\nrequired=true\n\n[[item]]\nid="ab"\nlabel="B"\nrequired=true\n'
            ),
            14,
            "duplicate item id 'ab'",
        ),
        (
            (
                '[meta]\nname="x"\napplication_type="t"\nversion="1"\nverification="confirmed"\ncitation="c"\n\n'
                '[[item]]\nid="ab"\nlabel="A"\nrequired="yes"\n'
            ),
            11,
            "item 'ab' field 'required': must be true or false",
        ),
        (
            (
                '[meta]\nname="x"\napplication_type="t"\nversion="1"\nverification="confirmed"\ncitation="c"\n\n'
                '[[item]]\nid="ab"\nlabel="A"\nrequired=true\nmax_age_days=-3\n'
            ),
            12,
            "item 'ab' field 'max_age_days': must be more than 0",
        ),
        (
            (
                '[meta]\nname="x"\napplication_type="t"\nversion="1"\nverification="confirmed"\ncitation="c"\n\n'
                '[[item]]\nid="ab"\nlabel="A"\nrequired=true\nexpire=true\n'
            ),
            12,
            "item 'ab' field 'expire': unknown key",
        ),
        ('[meta\nname="x"\n', 1, "TOML syntax error"),
    ],
)
def test_checklist_loader_names_file_line_and_problem(
    tmp_path: Path, body: str, line: int | None, problem: str
) -> None:
    path = tmp_path / "documents-bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    assert info.value.line == line
    assert problem in str(info.value) and f"documents-bad.toml, line {line}" in str(info.value)


def test_evaluate_items() -> None:
    checklist = load_all(checklists_dir())["subsequent_trp"]
    found = {
        f.item.id: f
        for f in evaluate(
            checklist,
            {
                "current-permit": ItemStatus(
                    ItemState.OBTAINED, date(2025, 4, 1), expires_on=date(2026, 4, 9)
                ),
                "identity-document": ItemStatus(ItemState.OBTAINED, date(2025, 4, 1)),
                "safety-evidence": ItemStatus(ItemState.NOT_APPLICABLE),
            },
            TODAY,
        )
    }
    assert found["current-permit"].problem == ""
    assert found["identity-document"].problem == "expiry-unknown"
    assert found["photos"].problem == "missing"
    assert found["safety-evidence"].detail == "not applicable"
