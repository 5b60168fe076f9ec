"""Fitting the politeness scorer's weights from labelled requests.

It lives beside the scorer because ``PolitenessScorer.fit`` needs it (scikit-learn's
contract: an estimator fits itself), and runtime scoring never imports ``scoring.training``;
the training package only chooses the data, cross-validates and saves the model. The
ensemble is described in ``scoring/training/politeness.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, Ridge

from scoring.scorers.politeness_features import (
    analyse_message,
    count_matrix,
    fit_idf,
    strategy_matrix,
    tfidf_matrix,
)
from scoring.scorers.politeness_strategies import STRATEGIES

STRATEGY_SCALE = 0.3  # strategy columns next to l2-normalised n-gram blocks
RIDGE_ALPHA = 1.0
NB_C = 1.0
NB_ALPHA = 1.0


def strategy_priors() -> np.ndarray:
    from scoring.scorers.politeness_rules import PRIOR_WEIGHTS

    return np.array([PRIOR_WEIGHTS[s] for s in STRATEGIES])


def _nb_ratios(binary: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    """Naive-Bayes log-count ratio of each column (Laplace smoothing ``NB_ALPHA``)."""
    pos = NB_ALPHA + np.asarray(binary[y == 1].sum(axis=0)).ravel()
    neg = NB_ALPHA + np.asarray(binary[y == 0].sum(axis=0)).ravel()
    return np.log(pos / pos.sum()) - np.log(neg / neg.sum())


def _binary(counts: sp.csr_matrix) -> sp.csr_matrix:
    out = counts.copy()
    out.data = np.ones_like(out.data)
    return out


def fit_politeness_arrays(
    texts: Sequence[str],
    y: np.ndarray,
    C: float = 10.0,
    min_support: int = 15,
    scores: np.ndarray | None = None,
    extra_texts: Sequence[str] = (),
    extra_scores: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], dict]:
    """Fit the English ensemble and the strategies-only model.

    ``texts``/``y`` are the labelled (quartile) rows; ``scores`` their normalised scores
    (the ridge target; ``2y - 1`` when absent); ``extra_texts``/``extra_scores`` are rows
    that only the ridge regression learns from. Returns the arrays ``PolitenessScorer``
    loads (raw, before calibration) and fit details.
    """
    texts = list(texts)
    y = np.asarray(y)
    n = len(texts)
    target = np.asarray(scores, float) if scores is not None else 2.0 * y - 1.0
    extra_texts = list(extra_texts)
    if extra_texts:
        target = np.r_[target, np.asarray(extra_scores, float)]
    centre = float(np.median(target))
    analyses = [analyse_message(t) for t in texts + extra_texts]
    strategies = strategy_matrix(analyses)
    support = strategies[:n].sum(axis=0)
    learned = support >= min_support

    transfer = LogisticRegression(C=1.0, max_iter=2000).fit(strategies[:n, learned], y)
    strategy_coef = strategy_priors()
    strategy_coef[learned] = transfer.coef_[0]

    counts = {b: count_matrix(analyses, b) for b in ("word", "char")}
    idf = {b: fit_idf(c) for b, c in counts.items()}
    blocks = [tfidf_matrix(counts[b], idf[b]) for b in ("word", "char")]
    x = sp.hstack([*blocks, sp.csr_matrix(strategies[:, learned] * STRATEGY_SCALE)]).tocsr()
    width = blocks[0].shape[1]

    ridge = Ridge(alpha=RIDGE_ALPHA).fit(x, target)
    logistic = LogisticRegression(C=C, max_iter=5000).fit(x[:n], y)
    binary = _binary(counts["word"][:n])
    ratios = _nb_ratios(binary, y)
    nb = LogisticRegression(C=NB_C, max_iter=5000).fit(binary @ sp.diags(ratios), y)

    # Equal votes: each model's decision values scaled to unit spread on its training rows.
    x_q = x[:n]
    ridge_scale = float(np.std(x_q @ ridge.coef_ + ridge.intercept_ - centre)) or 1.0
    logistic_scale = float(np.std(logistic.decision_function(x_q))) or 1.0
    nb_scale = float(np.std(nb.decision_function(binary @ sp.diags(ratios)))) or 1.0
    coef = ridge.coef_ / ridge_scale + logistic.coef_[0] / logistic_scale
    intercept = (
        (ridge.intercept_ - centre) / ridge_scale
        + logistic.intercept_[0] / logistic_scale
        + nb.intercept_[0] / nb_scale
    )
    nb_weight = nb.coef_[0] * ratios / nb_scale

    full_strategy_coef = strategy_priors()
    full_strategy_coef[learned] = coef[2 * width :] * STRATEGY_SCALE
    arrays = {
        "strategy_coef": strategy_coef.astype(np.float32),
        "strategy_intercept": np.float32(transfer.intercept_[0]),
        "full_strategy_coef": full_strategy_coef.astype(np.float32),
        "full_intercept": np.float32(intercept),
        "word_coef": coef[:width].astype(np.float16),
        "char_coef": coef[width : 2 * width].astype(np.float16),
        "word_nb": nb_weight.astype(np.float16),
        "word_idf": idf["word"].astype(np.float16),
        "char_idf": idf["char"].astype(np.float16),
        "learned": learned,
    }
    info = {
        "learned_strategies": [s for s, ok in zip(STRATEGIES, learned, strict=True) if ok],
        "prior_strategies": [s for s, ok in zip(STRATEGIES, learned, strict=True) if not ok],
        "strategy_support": {s: int(k) for s, k in zip(STRATEGIES, support, strict=True)},
        "ensemble_scales": {
            "ridge": ridge_scale, "logistic": logistic_scale, "nb_svm": nb_scale,
        },
        "n_labelled": n,
        "n_regression_only": len(extra_texts),
    }  # fmt: skip
    return arrays, info
