"""The mixed-effects logistic model of the office question, fitted on covariate patterns.

statsmodels' ``BinomialBayesMixedGLM`` takes one row per decision, but its log posterior depends on the data
only through each distinct (case mix, office) pattern's number of grants and of decisions. The same log
posterior and gradient are written here over the patterns (about a third of the rows at 10^5 decisions, far
fewer on coarser data) and fitted by statsmodels' own ``fit_map``: the same start, optimiser and Laplace
covariance, so the same estimates (tests compare it with the per-decision model).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from statsmodels.genmod import families
from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM

from trpkit.coalition.regression import Patterns

# A fixed start for the optimiser (statsmodels draws the random effects' start at random): the same data give
# the same report to the last digit.
START_SEED = 0


class PatternBinomialMixedGLM(BinomialBayesMixedGLM):  # type: ignore[misc]  # statsmodels is untyped
    """``BinomialBayesMixedGLM`` over covariate patterns: ``grants`` of ``trials`` decisions per row."""

    def __init__(
        self,
        grants: NDArray[Any],
        trials: NDArray[Any],
        exog: NDArray[Any],
        exog_vc: Any,
        ident: NDArray[Any],
        *,
        vcp_p: float,
        fe_p: float,
    ) -> None:
        # BinomialBayesMixedGLM's own __init__ only adds a check that endog is 0/1 to its base class's:
        # here endog is each pattern's share of grants, and the likelihood below uses the counts.
        super(BinomialBayesMixedGLM, self).__init__(
            grants / trials,
            exog,
            exog_vc=exog_vc,
            ident=ident,
            family=families.Binomial(),
            vcp_p=vcp_p,
            fe_p=fe_p,
        )
        self.grants = np.asarray(grants, dtype=float)
        self.trials = np.asarray(trials, dtype=float)

    def _linear(self, fep: NDArray[Any], vc: NDArray[Any]) -> NDArray[Any]:
        return np.asarray(np.dot(self.exog, fep) + self.exog_vc.dot(vc))

    def logposterior(self, params: NDArray[Any]) -> float:
        """statsmodels' log posterior with each pattern's Bernoulli terms summed over its decisions."""
        fep, vcp, vc = self._unpack(params)
        mu = self.family.link.inverse(self._linear(fep, vc))
        # sum over decisions of y log(mu/(1-mu)) + log(1-mu), as statsmodels' Binomial family writes it
        ll = float(
            np.sum(
                self.grants * np.log((mu + 1e-20) / (1 - mu + 1e-20)) + self.trials * np.log(1 - mu + 1e-20)
            )
        )
        vcp0 = vcp[self.ident]
        ll -= 0.5 * np.sum(vc**2 / np.exp(vcp0) ** 2) + np.sum(vcp0)
        ll -= 0.5 * np.sum(vcp**2 / self.vcp_p**2)
        ll -= 0.5 * np.sum(fep**2 / self.fe_p**2)
        return float(ll)

    def logposterior_grad(self, params: NDArray[Any]) -> NDArray[Any]:
        """Its gradient: the per-decision score (y - mu) summed over each pattern is grants - trials * mu."""
        fep, vcp, vc = self._unpack(params)
        mu = self.family.link.inverse(self._linear(fep, vc))
        score = self.grants - self.trials * mu
        s = np.exp(vcp[self.ident])
        d_fep = np.dot(score, self.exog) - fep / self.fe_p**2
        d_vcp = np.bincount(self.ident, weights=vc**2 / s**2 - 1, minlength=len(vcp)) - vcp / self.vcp_p**2
        d_vc = self.exog_vc.transpose().dot(score) - vc / s**2
        return np.concatenate([d_fep, d_vcp, d_vc])


def random_office_intercepts(
    cells: Patterns, mix: NDArray[Any], office: NDArray[np.intp], offices: int, average_mix: NDArray[Any]
) -> dict[str, Any]:
    """Each office's random intercept (posterior mode) with its standard deviation, the office-to-office
    standard deviation, and the linear predictor of a case of the coalition's average mix. ``cells`` are
    the decisions grouped by (case mix, office); ``mix`` and ``office`` are each group's."""
    from scipy import sparse

    groups = len(cells.first)
    design = sparse.csr_matrix((np.ones(groups), (np.arange(groups), office)), shape=(groups, offices))
    # Weak priors: fixed effects N(0, 10^2); the log office SD N(0, 1) (an SD from ~0.1 to ~7 is plausible).
    model = PatternBinomialMixedGLM(
        cells.grants, cells.trials, mix, design, np.zeros(offices, dtype=int), vcp_p=1.0, fe_p=10.0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit_map(rng=START_SEED)
    fixed = mix.shape[1]
    params = np.asarray(fit.params)
    variances = np.diag(np.asarray(fit.cov_params()))
    return {
        "effects": params[fixed + 1 :],
        "sd": np.sqrt(np.maximum(variances[fixed + 1 :], 0.0)),
        "office_sd": float(math.exp(params[fixed])),
        "typical": float(average_mix @ params[:fixed]),
    }
