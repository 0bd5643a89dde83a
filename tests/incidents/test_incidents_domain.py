"""The bulletin's data files, the place picker, people bands, the second look and the pattern finder."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trpkit.domain.incident_vocab import resolve_place
from trpkit.domain.incidents import Incident, IncidentView, band_below_minimum, second_look
from trpkit.errors import UsageError
from trpkit.loading.incident_vocab import IncidentDataError, load_vocabulary, vocabulary
from trpkit.paths import checklists_dir
from trpkit.services.incident_patterns import find_patterns


def test_shipped_data_is_valid_and_complete() -> None:
    vocab = load_vocabulary()
    provinces = [p for p in vocab.places.values() if p.id == p.province]
    assert len(provinces) == 13  # ten provinces, three territories
    assert all(p.province in vocab.places for p in vocab.places.values())
    assert len(vocab.places) - 13 == 76  # Statistics Canada's economic regions
    for kind in ("framing", "band", "ask", "source_kind", "sector", "fact"):
        assert all(label.label and label.label_fr for label in vocab.labels[kind].values())
    assert set(vocab.ids("ask")) == {
        "call_for_information",
        "legal_support",
        "interpreters",
        "shelter_capacity",
    }
    from trpkit.domain.smuggling import ELEMENTS

    assert {f.extra["element"] for f in vocab.labels["fact"].values()} <= {e[0] for e in ELEMENTS}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('id = "ER-3530"', 'id = "ER-4430"'), "must be 'ER-' and a 4-digit code starting with 35"),
        (('id = "ER-1250"', 'id = "ER-1240"'), "appears twice"),
        (("[meta]", "[nometa]"), r"incident-places.toml, line \d+, field 'nometa': unknown key 'nometa'"),
        (
            ('checked = "unverified"', 'checked = "yes"'),
            "region 'ER-1320' field 'checked': 'yes' is not allowed: use one of",
        ),
    ],
)
def test_place_file_errors_name_the_problem(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    for name in ("incidents.toml", "incident-places.toml"):
        shutil.copy(checklists_dir() / name, tmp_path / name)
    places = tmp_path / "incident-places.toml"
    places.write_text(places.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(IncidentDataError, match=message):
        load_vocabulary(tmp_path)


@pytest.mark.parametrize(
    ("typed", "place"),
    [("Montreal", "ER-2440"), ("MONTRÉAL", "ER-2440"), ("er-3530", "ER-3530"), ("gta", "ER-3530"),
     ("windsor sarnia", "ER-3570"), ("Yukon", "YT"), ("Colombie-Britannique", "BC"), ("qc", "QC")],
)  # fmt: skip
def test_place_picker(typed: str, place: str) -> None:
    assert resolve_place(typed, vocabulary()).id == place


def test_unknown_place_names_the_closest() -> None:
    with pytest.raises(UsageError, match=r"'Saskatoun' is not in the place list.*Closest: Saskatoon--Biggar"):
        resolve_place("Saskatoun", vocabulary())
    with pytest.raises(UsageError, match="Say where"):
        resolve_place("  ", vocabulary())


def test_bands_below_minimum() -> None:
    vocab = vocabulary()
    assert band_below_minimum("2-4", 5, vocab) and band_below_minimum("1", 2, vocab)
    assert not band_below_minimum("5-9", 5, vocab)
    assert not band_below_minimum("unknown", 5, vocab)
    assert not band_below_minimum("100+", 500, vocab)  # no upper bound: could be any number above


def _incident(**changes: object) -> Incident:
    base: dict[str, object] = {
        "uid": "f" * 32, "agency": "a", "sequence": 1, "title": "t", "when_text": "2026", "when_parsed": True,
        "when_earliest": "2026-01-01", "when_latest": "2026-12-31", "place": "ER-5920", "sector": "other",
        "people": "10-24", "framing": "smuggling",
    }  # fmt: skip
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


def test_second_look_asks_and_never_concludes() -> None:
    vocab = vocabulary()
    look = second_look(_incident(facts=("debt", "coerced_crime")), vocab)
    assert look.framed_as_smuggling and "second look" in look.note
    by_element = {item.element: item for item in look.items}
    assert len(by_element) == 5
    assert by_element["debt"].reported and by_element["debt"].questions[0].startswith(
        "How large are the debts"
    )
    assert not by_element["exploitation"].reported  # unexplored, and asked about
    assert by_element["exploitation"].questions == ("Were people made to work, and on what terms?",)
    every = " ".join(q for item in look.items for q in item.questions) + look.note
    assert "is trafficking" not in every and "was trafficking" not in every
    french = second_look(_incident(framing="trafficking", framing_history=("smuggling",)), vocab, "fr")
    assert french.framed_as_smuggling and french.note.startswith("Des questions à explorer")


def _view(province: str = "BC", **changes: object) -> IncidentView:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    return IncidentView(_incident(**changes), "ffffffff", True, False, 1, now, None, 0, "x", province, False)


def _records(year: int, refused: int, granted: int, office: str = "Vancouver") -> list[dict[str, object]]:
    return [{"outcome": "refused", "decided": f"{year}-Q2", "ircc_office": office}] * refused + [
        {"outcome": "granted", "decided": f"{year}-Q2", "ircc_office": office}
    ] * granted


def test_patterns_need_a_rise_an_incident_and_large_enough_counts() -> None:
    records = _records(2025, 10, 30) + _records(2026, 20, 20)
    found = find_patterns([_view()], records, min_cell=10)
    assert len(found) == 1 and found[0].year == 2026 and found[0].province == "BC"
    assert "rose from 25% (10 of 40) in 2025 to 50% (20 of 40)" in found[0].text
    assert found[0].text.endswith("Questions to check, not conclusions.")
    assert find_patterns([_view(province="ON")], records, min_cell=10) == []  # elsewhere
    assert find_patterns([_view()], records, min_cell=11) == []  # a count under the minimum: nothing said
    assert find_patterns([_view()], _records(2025, 20, 20) + _records(2026, 20, 20), 10) == []  # no rise
    french = find_patterns([_view()], records, min_cell=10, language="fr")
    assert french[0].text.startswith("Colombie-Britannique, 2026 : les refus sont passés de 25 %")


def test_every_region_says_how_it_was_checked() -> None:
    """The shipped list marks what was read in a Statistics Canada table, and nothing else, as checked."""
    import tomllib

    data = tomllib.loads((checklists_dir() / "incident-places.toml").read_text(encoding="utf-8"))
    status = {r["id"]: r["checked"] for p in data["province"] for r in p.get("region", [])}
    by_source: dict[str, set[int]] = {}
    for rid, how in status.items():
        by_source.setdefault(how, set()).add(int(rid[3:]))
    quebec = {2415, 2420, 2425, 2430, 2433, 2435, 2440, 2445, 2450, 2455, 2460, 2465, 2470, 2475, 2480, 2490}
    ontario = {3510, 3515, 3520, 3530, 3540, 3550, 3560, 3570, 3580, 3590}
    assert by_source["statcan-er-2011-table"] == quebec | ontario
    assert by_source["statcan-er-2016-table"] == {
        1010,
        1020,
        1030,
        1040,
        1110,
        1210,
        1220,
        1230,
        1240,
        1250,
        1310,
    }
    assert by_source["statcan-census-dictionary"] == {1340, 4610, 4620, 4640, 4840, 4860}
    assert status["ER-3595"] == status["ER-2410"] == status["ER-5910"] == "unverified"


def test_stop_list_file_errors_name_the_problem(tmp_path: Path) -> None:
    from trpkit.loading.incident_vocab import load_common_words

    source = (checklists_dir() / "name-stopwords.toml").read_text(encoding="utf-8")
    assert {"may", "de", "cruz", "riviere"} <= load_common_words()  # folded: "rivière" is "riviere"
    (tmp_path / "name-stopwords.toml").write_text(source.replace('"may",', '"may day",'), encoding="utf-8")
    with pytest.raises(
        IncidentDataError, match=r"name-stopwords.toml, line \d+, field 'en': 'may day' is not one word"
    ):
        load_common_words(tmp_path)


def test_only_the_unknown_band_is_unknown() -> None:
    from trpkit.domain.incidents import band_unknown

    vocab = vocabulary()
    assert band_unknown("unknown", vocab)
    assert not any(band_unknown(b, vocab) for b in vocab.ids("band") if b != "unknown")
