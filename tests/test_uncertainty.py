"""helpers.uncertainty against scikit-learn and scipy, on made-up predictions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest
from sklearn.metrics import f1_score

from helpers import uncertainty as u


def fake(n: int, accuracy: float, seed: int, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    wrong = rng.random(n) > accuracy
    predictions = np.where(wrong, (labels + rng.integers(1, classes, n)) % classes, labels)
    return labels, predictions


@pytest.mark.parametrize("classes", [2, 4])
def test_macro_f1_rows_is_scikit_learns_macro_f1(classes):
    labels, predictions = fake(300, 0.7, 1, classes)
    rows = np.stack([labels, labels[::-1]]), np.stack([predictions, predictions[::-1]])
    ours = u.macro_f1_rows(*rows)
    assert ours == pytest.approx([f1_score(labels, predictions, average="macro")] * 2)


def test_the_interval_holds_the_score_and_narrows_with_more_examples():
    small = u.bootstrap_interval(*fake(210, 0.8, 2))
    large = u.bootstrap_interval(*fake(2556, 0.8, 3))
    for interval in (small, large):
        assert interval.low < interval.value < interval.high
    assert (large.high - large.low) < 0.5 * (small.high - small.low)   # about sqrt(210 / 2556) = 0.29
    # the normal approximation sqrt(p(1-p)/n) gives the same width, within 15%
    p = large.value
    assert (large.high - large.low) == pytest.approx(2 * 1.96 * np.sqrt(p * (1 - p) / 2556), rel=0.15)


def test_a_paired_difference_is_narrower_than_two_separate_intervals():
    labels, a = fake(1000, 0.80, 4)
    b = a.copy()
    flip = np.random.default_rng(5).choice(1000, 30, replace=False)   # B differs from A on 30 reviews
    b[flip] = 1 - b[flip]
    paired = u.paired_bootstrap(labels, a, b)
    alone_a, alone_b = u.bootstrap_interval(labels, a), u.bootstrap_interval(labels, b)
    assert paired.value == pytest.approx(alone_a.value - alone_b.value)
    assert (paired.high - paired.low) < 0.5 * min(alone_a.high - alone_a.low, alone_b.high - alone_b.low)


@pytest.mark.parametrize("b,c", [(0, 0), (3, 0), (12, 25), (40, 41), (7, 30)])
def test_mcnemar_is_scipys_exact_binomial_test(b, c):
    expected = 1.0 if b + c == 0 else binomtest(b, b + c, 0.5).pvalue
    assert u.mcnemar(b, c) == pytest.approx(expected)
    assert u.mcnemar(b, c) == u.mcnemar(c, b)


def test_the_verdict_calls_an_interval_across_zero_a_tie():
    assert u.verdict(u.Interval(0.003, -0.01, 0.015)).startswith("no difference in accuracy that this test set can detect")
    assert u.verdict(u.Interval(-0.02, -0.035, -0.006), "macro-F1").startswith("macro-F1 lower by 0.0200")


def test_the_same_seed_gives_the_same_interval():
    labels, predictions = fake(500, 0.75, 6)
    assert u.bootstrap_interval(labels, predictions) == u.bootstrap_interval(labels, predictions)


def test_paired_right_and_counts_from_right_and_wrong_lists():
    labels, a = fake(400, 0.8, 7)
    b = a.copy()
    b[:40] = labels[:40]            # B is right on the first 40 reviews
    b[40:60] = 1 - labels[40:60]    # and wrong on the next 20
    right_a, right_b = a == labels, b == labels
    assert u.paired_right(right_a, right_b) == u.paired_bootstrap(labels, a, b)
    only_a, only_b = u.counts(right_a, right_b)
    assert (only_a, only_b) == (int((right_a & ~right_b).sum()), int((~right_a & right_b).sum()))
    assert only_a + only_b == int((right_a != right_b).sum())

def test_an_interval_says_the_level_it_was_computed_at():
    """A 90% interval is narrower than a 95% one, and the words say 90%, not 95%."""
    rng = np.random.default_rng(1)
    labels, predictions = rng.integers(0, 2, 300), rng.integers(0, 2, 300)
    wide = u.bootstrap_interval(labels, predictions)
    narrow = u.bootstrap_interval(labels, predictions, level=0.9)
    assert narrow.high - narrow.low < wide.high - wide.low
    assert "95% interval" in str(wide) and "90% interval" in str(narrow)
    paired = u.paired_right(labels == predictions, labels == 1 - predictions, level=0.99)
    assert "99% interval" in u.verdict(paired) and "95%" not in u.verdict(paired)
    assert u.Interval(0.5, 0.4, 0.6, level=0.995).percent == "99.5%"
