"""The logistic models are fitted on covariate patterns (each distinct row with its grants and decisions) for
speed: the estimates are those of the same models fitted with one row per decision (statsmodels)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from scipy import sparse

from trpkit.coalition import models, regression, stats
from trpkit.coalition.mixed_model import START_SEED, PatternBinomialMixedGLM, random_office_intercepts
from trpkit.coalition.synthetic import Effects, records


def _office_design(n: int, seed: int) -> tuple[Any, Any, Any, int]:
    """The office model's data from generated records (one office apart): grant (0/1), case-mix design,
    office index."""
    frame = stats.Frame(records(n, seed=seed, effects=Effects(office={"toronto": 1.0})))
    office = frame.text("ircc_office")
    rows = frame.decided & (office != stats.NOT_RECORDED)
    units = np.unique(office[rows])
    y = frame.granted[rows].astype(float)
    base = np.column_stack([np.ones(len(y)), *models._case_mix(frame, rows).values()])
    return y, base, np.searchsorted(units, office[rows]), len(units)


def _relative(a: Any, b: Any) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.abs(a - b).max() / np.abs(b).max())


@pytest.mark.parametrize("with_offices", [False, True])
def test_the_pattern_glm_equals_the_per_decision_glm(with_offices: bool) -> None:
    import statsmodels.api as sm

    y, base, office, offices = _office_design(6000, seed=40)
    X = np.column_stack([np.eye(offices)[office], base[:, 1:]]) if with_offices else base
    assert len(regression.covariate_patterns(X)[0]) < len(y)  # the grouping does group
    grouped = regression.fit_binomial(X, y)
    per_decision = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    assert _relative(grouped.params, per_decision.params) < 1e-8
    # Standard errors come from the weights of IRLS's last step, which stops at statsmodels' tolerance.
    assert _relative(grouped.bse, per_decision.bse) < 1e-6
    assert _relative(grouped.pvalues, per_decision.pvalues) < 1e-5


def _mixed_models(n: int, seed: int) -> tuple[Any, PatternBinomialMixedGLM, Any, Any, Any, int]:
    from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM

    y, base, office, offices = _office_design(n, seed)
    z = sparse.csr_matrix((np.ones(len(y)), (np.arange(len(y)), office)), shape=(len(y), offices))
    per_decision = BinomialBayesMixedGLM(y, base, z, np.zeros(offices, dtype=int), vcp_p=1.0, fe_p=10.0)
    first, inverse = regression.covariate_patterns(np.column_stack([base, office]))
    patterns = len(first)
    assert patterns < len(y)
    zp = sparse.csr_matrix(
        (np.ones(patterns), (np.arange(patterns), office[first])), shape=(patterns, offices)
    )
    grouped = PatternBinomialMixedGLM(
        np.bincount(inverse, weights=y),
        np.bincount(inverse).astype(float),
        base[first],
        zp,
        np.zeros(offices, dtype=int),
        vcp_p=1.0,
        fe_p=10.0,
    )
    return per_decision, grouped, y, base, office, offices


def test_the_pattern_mixed_model_has_the_per_decision_log_posterior_and_gradient() -> None:
    per_decision, grouped, *_ = _mixed_models(4000, seed=41)
    rng = np.random.default_rng(2)
    for _ in range(5):
        params = rng.normal(scale=0.7, size=len(per_decision.names) + per_decision.k_vc)
        assert grouped.logposterior(params) == pytest.approx(per_decision.logposterior(params), rel=1e-12)
        assert _relative(grouped.logposterior_grad(params), per_decision.logposterior_grad(params)) < 1e-12


def test_the_pattern_mixed_model_fit_equals_the_per_decision_fit() -> None:
    """Same start, same optimiser, same Laplace covariance: the posterior mode to 1e-8; its covariance, a
    forward-difference Hessian of the gradient in both (whose rounding differs), to 1e-6."""
    per_decision, grouped, y, base, office, offices = _mixed_models(6000, seed=42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = per_decision.fit_map(rng=START_SEED)
        got = grouped.fit_map(rng=START_SEED)
    assert np.abs(np.asarray(got.params) - np.asarray(expected.params)).max() < 1e-8
    assert _relative(got.cov_params(), expected.cov_params()) < 1e-6
    # and the office model's own summary of it
    cells = regression.group_decisions(np.column_stack([base, office]), y)
    mixed = random_office_intercepts(
        cells, base[cells.first], office[cells.first], offices, base.mean(axis=0)
    )
    fixed = base.shape[1]
    assert np.abs(mixed["effects"] - np.asarray(expected.params)[fixed + 1 :]).max() < 1e-8
    expected_sd = np.sqrt(np.diag(np.asarray(expected.cov_params()))[fixed + 1 :])
    assert _relative(mixed["sd"], expected_sd) < 1e-6
