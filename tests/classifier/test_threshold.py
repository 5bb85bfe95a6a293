"""Choosing the auto-dispatch threshold."""

import math

import numpy as np

from classifier.threshold import pick_threshold, precision_coverage_curve


def test_lowest_threshold_meeting_target_is_chosen():
    """Coverage is maximised subject to precision >= target."""
    conf = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    correct = np.array([1, 1, 1, 1, 1, 0, 1, 1, 0, 0], dtype=bool)
    thr, prec, cov = pick_threshold(conf, correct, 0.85, min_support=1)
    # Down to 0.4 precision is 7/8 = 0.875; at 0.3 it drops to 7/9.
    assert thr == 0.4 and math.isclose(prec, 7 / 8) and cov == 0.8


def test_ties_are_never_split():
    """Tickets with equal confidence are dispatched together or not at all."""
    conf = np.array([0.9, 0.9, 0.9, 0.5])
    correct = np.array([True, True, False, True])
    thresholds, precision, coverage = precision_coverage_curve(conf, correct)
    assert list(thresholds) == [0.9, 0.5]
    assert np.allclose(precision, [2 / 3, 3 / 4]) and np.allclose(coverage, [0.75, 1.0])


def test_unreachable_target_dispatches_nothing():
    """If no threshold reaches the target, the threshold exceeds every confidence."""
    conf = np.array([0.9, 0.8, 0.7])
    thr, prec, cov = pick_threshold(conf, np.zeros(3, dtype=bool), 0.9, min_support=1)
    assert thr > 1.0 and cov == 0.0 and math.isnan(prec)


def test_min_support_avoids_tiny_lucky_sets():
    """A perfect top-2 is not trusted when 20 auto-dispatched tickets are required."""
    rng = np.random.default_rng(0)
    conf = np.sort(rng.random(100))[::-1]
    correct = np.ones(100, dtype=bool)
    correct[2:40:2] = False  # only the top two are a perfect run
    thr, _, cov = pick_threshold(conf, correct, 0.99)
    assert cov == 0.0 and thr > 1.0
