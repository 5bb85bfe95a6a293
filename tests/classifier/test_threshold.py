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


def test_wilson_lower_bound_by_hand():
    """9/10 correct has a 95 % one-sided Wilson lower bound near 0.65; z=0 is the raw precision."""
    from classifier.threshold import wilson_lower_bound

    assert math.isclose(float(wilson_lower_bound(0.9, 10, 1.64)), 0.6532, abs_tol=1e-3)
    assert float(wilson_lower_bound(0.9, 10, 0.0)) == 0.9
    assert float(wilson_lower_bound(1.0, 1e6, 1.64)) > 0.9999


def test_safety_margin_lowers_coverage_but_keeps_target():
    """With a margin the chosen threshold is higher and its precision clears the target with room."""
    rng = np.random.default_rng(3)
    conf = rng.random(2000)
    correct = rng.random(2000) < conf  # P(correct) = confidence
    thr0, prec0, cov0 = pick_threshold(conf, correct, 0.9)
    thr1, prec1, cov1 = pick_threshold(conf, correct, 0.9, z=1.64)
    assert thr1 > thr0 and cov1 < cov0 and prec1 >= prec0 >= 0.9
