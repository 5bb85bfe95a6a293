"""Comparing champion and challenger on the same texts: paired bootstrap, coverage, recall per label."""

import numpy as np
import pytest

from classifier.compare import paired_bootstrap, scores


def test_identical_models_differ_by_nothing():
    same = np.array([True] * 70 + [False] * 30)
    assert paired_bootstrap(same, same, rounds=200) == (0.0, 0.0, 0.0)


def test_a_challenger_right_where_the_champion_erred_is_better_with_confidence():
    champion = np.array([True] * 80 + [False] * 20)
    challenger = np.array([True] * 90 + [False] * 10)  # fixes 10 of the champion's 20 errors, breaks none
    diff, low, high = paired_bootstrap(champion, challenger, rounds=2000)
    assert diff == pytest.approx(0.10)
    # Ten +1s in 100 pairs: the resampled mean has sd sqrt(0.1 * 0.9 / 100) = 0.03, so the 95 % interval
    # is about 0.10 ± 0.06 and stays above 0.
    assert 0.03 < low < 0.07 and 0.13 < high < 0.17


def test_swapped_errors_leave_the_difference_at_zero_but_widen_the_interval():
    champion = np.array([True] * 40 + [False] * 10 + [True] * 50)
    challenger = np.array([True] * 40 + [True] * 10 + [True] * 40 + [False] * 10)
    diff, low, high = paired_bootstrap(champion, challenger, rounds=2000)
    assert diff == 0.0 and low < -0.03 and high > 0.03


def test_mismatched_outcomes_are_refused():
    with pytest.raises(ValueError, match="same"):
        paired_bootstrap([True], [True, False])


def test_scores_give_accuracy_coverage_and_recall_of_labels_with_enough_tickets():
    labels = ["a"] * 30 + ["b"] * 5
    correct = [True] * 27 + [False] * 3 + [True] * 5
    confidence = np.linspace(1.0, 0.5, 35)
    s = scores(correct, confidence, labels, target_precision=0.9, min_support=20)
    assert s["accuracy"] == pytest.approx(32 / 35)
    assert s["recall"] == {"a": pytest.approx(0.9)}  # b has 5 tickets, under the minimum of 20
    assert s["support"] == {"a": 30, "b": 5}
    # Sorted by confidence, the three errors are ranks 28-30: all 35 at 32/35 = 0.914 ≥ 0.9.
    assert s["coverage"] == 1.0 and s["precision"] == pytest.approx(32 / 35)
