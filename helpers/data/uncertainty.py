"""How sure is a score? Bootstrap intervals and paired tests for classifiers.

A test split is a sample: another sample of the same size would give another accuracy. These
functions say how far it could move, and whether two models that were scored on the *same*
examples really differ:

- ``bootstrap_interval``: a score and its percentile-bootstrap interval (resample the examples
  with replacement, score each resample, keep the middle 95% of the scores, or another ``level``);
- ``paired_bootstrap``: the difference between two models, resampling the examples *together*,
  so that the luck of the sample cancels out of the difference;
- ``paired_right``: the same, from two lists of right/wrong per example;
- ``mcnemar``: McNemar's exact test, from the examples on which exactly one model is right
  (``counts`` finds them).

Each is vectorised with NumPy: thousands of resamples of a few thousand examples take well under a
second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

RESAMPLES = 2000
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A score measured on the whole sample, and the bootstrap interval around it; ``level`` is
    the share of the resampled scores the interval keeps (0.95 unless you asked for another)."""

    value: float
    low: float
    high: float
    level: float = LEVEL

    @property
    def percent(self) -> str:
        """The level as people write it: ``"95%"``, ``"90%"``, ``"99.5%"``."""
        return f"{100 * self.level:g}%"

    def __str__(self) -> str:
        return f"{self.value:.4f} ({self.percent} interval {self.low:.4f} to {self.high:.4f})"

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


def _resample_indices(n: int, resamples: int, seed: int) -> np.ndarray:
    """``resamples`` rows of ``n`` example indices, drawn with replacement."""
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def accuracy_rows(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """Accuracy of every row of a 2-D array of labels against the matching predictions."""
    return (labels == predictions).mean(axis=-1)


def macro_f1_rows(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """Macro-F1 (the plain mean of the per-class F1 scores) of every row; a class that is neither
    in a row's labels nor in its predictions is left out of that row's mean, as scikit-learn does
    for the labels it sees."""
    classes = np.union1d(np.unique(labels), np.unique(predictions))
    labels, predictions = np.atleast_2d(labels), np.atleast_2d(predictions)
    f1s, present = [], []
    for c in classes:
        is_label, is_pred = labels == c, predictions == c
        tp = (is_label & is_pred).sum(axis=1)
        denominator = is_label.sum(axis=1) + is_pred.sum(axis=1)   # 2tp + fp + fn
        f1s.append(np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0))
        present.append(denominator > 0)
    f1s, present = np.array(f1s), np.array(present)
    return (f1s * present).sum(axis=0) / np.maximum(present.sum(axis=0), 1)


def bootstrap_interval(labels: Sequence[int], predictions: Sequence[int],
                       score: Callable[[np.ndarray, np.ndarray], np.ndarray] = accuracy_rows,
                       resamples: int = RESAMPLES, level: float = LEVEL, seed: int = 0) -> Interval:
    """A score (accuracy by default, or ``macro_f1_rows``) and its percentile-bootstrap interval."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    rows = _resample_indices(len(labels), resamples, seed)
    scores = score(labels[rows], predictions[rows])
    low, high = np.quantile(scores, [(1 - level) / 2, (1 + level) / 2])
    value = float(score(labels[None, :], predictions[None, :])[0])
    return Interval(value, float(low), float(high), level)


def paired_bootstrap(labels: Sequence[int], predictions_a: Sequence[int], predictions_b: Sequence[int],
                     score: Callable[[np.ndarray, np.ndarray], np.ndarray] = accuracy_rows,
                     resamples: int = RESAMPLES, level: float = LEVEL, seed: int = 0) -> Interval:
    """Score of A minus score of B, with both scored on the same resampled examples each time."""
    labels = np.asarray(labels)
    a, b = np.asarray(predictions_a), np.asarray(predictions_b)
    rows = _resample_indices(len(labels), resamples, seed)
    differences = score(labels[rows], a[rows]) - score(labels[rows], b[rows])
    low, high = np.quantile(differences, [(1 - level) / 2, (1 + level) / 2])
    whole = score(labels[None, :], a[None, :])[0] - score(labels[None, :], b[None, :])[0]
    return Interval(float(whole), float(low), float(high), level)


def paired_right(right_a: Sequence[bool], right_b: Sequence[bool], resamples: int = RESAMPLES,
                 level: float = LEVEL, seed: int = 0) -> Interval:
    """``paired_bootstrap`` from two lists saying, example by example, whether A and B were right
    (lesson 05's exercise): the accuracy of A minus that of B, with its paired interval."""
    a, b = np.asarray(right_a, dtype=int), np.asarray(right_b, dtype=int)
    return paired_bootstrap(np.ones_like(a), a, b, resamples=resamples, level=level, seed=seed)


def counts(right_a: Sequence[bool], right_b: Sequence[bool]) -> tuple[int, int]:
    """McNemar's two counts: the examples only A gets right, and those only B gets right."""
    a, b = np.asarray(right_a, dtype=bool), np.asarray(right_b, dtype=bool)
    return int((a & ~b).sum()), int((~a & b).sum())


def mcnemar(only_a_right: int, only_b_right: int) -> float:
    """McNemar's exact test: the two-sided p-value of the discordant counts.

    Only the examples on which the models disagree about being right carry information. If both
    models were equally good, each such example would be equally likely to favour either one, so
    ``only_a_right`` would follow a Binomial(n, 1/2) with ``n = only_a_right + only_b_right``. The
    p-value is the probability of a split at least this uneven (scipy.stats.binomtest gives the
    same number)."""
    n, k = only_a_right + only_b_right, min(only_a_right, only_b_right)
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def verdict(difference: Interval, what: str = "accuracy") -> str:
    """A difference in words: a tie when its interval contains zero."""
    if difference.contains(0.0):
        return (f"no difference in {what} that this test set can detect "
                f"({difference.value:+.4f}, {difference.percent} interval {difference.low:+.4f} to {difference.high:+.4f})")
    better = "higher" if difference.value > 0 else "lower"
    return (f"{what} {better} by {abs(difference.value):.4f} "
            f"({difference.percent} interval {difference.low:+.4f} to {difference.high:+.4f})")
