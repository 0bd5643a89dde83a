"""Every data file shipped in checklists/ is read by a loader, and every one of them loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from trpkit.paths import checklists_dir

FOLDER = checklists_dir()


def _frameworks(path: Path) -> object:
    from trpkit.loading.frameworks import load_frameworks

    return load_frameworks(path.parent)


def _cues(path: Path) -> object:
    from trpkit.loading.cues import cue_book

    return cue_book(path.parent).cues


def _documents(path: Path) -> object:
    from trpkit.loading.document_checklists import load_checklist

    return load_checklist(path).items


def _policy(path: Path) -> object:
    from trpkit.domain.policy import load_policy

    return load_policy(path).periods


def _reasons(path: Path) -> object:
    from trpkit.domain.policy import load_refusal_reasons

    return load_refusal_reasons(path)


def _clock(path: Path) -> object:
    from trpkit.domain.clock_rules import load_clock_rules
    from trpkit.domain.clocks import RULE_IDS

    return load_clock_rules(path, RULE_IDS)


def _incidents(path: Path) -> object:
    from trpkit.domain.incident_vocab import load_vocabulary

    return load_vocabulary(path.parent).places


def _stopwords(path: Path) -> object:
    from trpkit.domain.incident_vocab import load_common_words

    return load_common_words(path.parent)


def _coalition(path: Path) -> object:
    from trpkit.analytics.policy import load_policy
    from trpkit.services.incident_checks import incident_policy

    return load_policy(path, path.parent / "m49-regions.toml").k and incident_policy(path)


def _m49(path: Path) -> object:
    from trpkit.analytics.policy import load_m49

    return load_m49(path)


def _language(path: Path) -> object:
    from trpkit.domain.fuzzy_dates.phrases import _language_data_at

    return _language_data_at(path.parent, path.stem)


def _holidays(path: Path) -> object:
    from trpkit.domain.fuzzy_dates.phrases import _load_holidays

    return _load_holidays(path)


LOADERS: dict[str, Callable[[Path], object]] = {
    "delphi-adult-labour.toml": _frameworks,
    "delphi-adult-sexual.toml": _frameworks,
    "delphi-child-labour.toml": _frameworks,
    "delphi-child-sexual.toml": _frameworks,
    "ilo-forced-labour.toml": _frameworks,
    "ircc-vtip-criteria.toml": _frameworks,
    "criminal-code-279-04.toml": _frameworks,
    "crosswalk.toml": _frameworks,
    "indicator-prompts.toml": _frameworks,
    "indicator-cues.toml": _cues,
    "documents-initial-trp.toml": _documents,
    "documents-subsequent-trp.toml": _documents,
    "documents-owp-trp-holder.toml": _documents,
    "policy-periods.toml": _policy,
    "refusal-reasons.toml": _reasons,
    "permit-holder-clock.toml": _clock,
    "incidents.toml": _incidents,
    "incident-places.toml": _incidents,
    "name-stopwords.toml": _stopwords,
    "coalition-policy.toml": _coalition,
    "m49-regions.toml": _m49,
    "date_phrases/en.toml": _language,
    "date_phrases/fr.toml": _language,
    "date_phrases/es.toml": _language,
    "date_phrases/pt.toml": _language,
    "date_phrases/holidays.toml": _holidays,
}


def test_every_shipped_file_has_a_loader() -> None:
    shipped = {str(p.relative_to(FOLDER)) for p in FOLDER.rglob("*.toml")}
    assert shipped == set(LOADERS), "a new data file needs its loader here (docs/architecture.md)"


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_shipped_file_loads(name: str) -> None:
    assert LOADERS[name](FOLDER / name)  # loaded, and not empty
