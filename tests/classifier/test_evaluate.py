"""Scoring a router."""

import json

import pytest

from classifier import DataError, evaluate
from classifier.evaluate import score_predictions

from .conftest import make_corpus

KEYS = {"accuracy", "macro_f1", "top3", "per_class", "coverage_at_precision", "confusion", "n"}


def test_report_has_the_documented_keys_and_is_json(trained):
    """evaluate() returns every documented key and serialises to JSON."""
    texts, labels = make_corpus(per_label=10, seed=1)
    report = evaluate(trained.router(), texts, labels)
    assert KEYS <= set(report)
    assert set(report["coverage_at_precision"]) == {"0.90", "0.92", "0.95", "0.97"}
    for entry in report["coverage_at_precision"].values():
        assert set(entry) == {"threshold", "coverage", "precision"}
    assert report["n"] == 30 and report["accuracy"] > 0.9 and report["top3"] == 1.0
    assert set(report["per_class"]["交通"]) == {"precision", "recall", "f1", "support"}
    assert report["per_class"]["交通"]["support"] == 10
    matrix = report["confusion"]["matrix"]
    assert report["confusion"]["labels"] == ["交通", "医疗", "教育"] and sum(map(sum, matrix)) == 30
    json.dumps(report)


def test_unknown_labels_and_blank_texts_count_as_misses(trained):
    """A label the model never learned and a blank ticket are misses, and are reported."""
    report = evaluate(trained.router(), ["地铁拥堵", "海关查验", ""], ["交通", "海关总署", "医疗"])
    assert report["unknown_labels"] == {"海关总署": 1}
    assert report["per_class"]["海关总署"]["recall"] == 0.0
    assert report["accuracy"] == pytest.approx(1 / 3)
    assert report["macro_f1_known_labels"] >= report["macro_f1"]


def test_metrics_by_hand():
    """Accuracy, macro-F1 over labels present, top-3 and coverage match a hand count."""
    # Ten copies: auto-dispatch estimates need at least 20 tickets.
    y = ["a", "a", "b", "b"] * 10
    tops = [["a", "b"], ["b", "a"], ["b", "a"], ["a", "c", "b"]] * 10
    conf = [0.9, 0.4, 0.8, 0.3] * 10
    r = score_predictions(y, tops, conf)
    assert r["accuracy"] == 0.5 and r["top3"] == 1.0
    assert r["macro_f1"] == pytest.approx(0.5)  # F1(a)=F1(b)=1/2
    # Dispatching the top two (0.9 and 0.8) is 100 % precise at 50 % coverage.
    assert r["coverage_at_precision"]["0.97"] == {"threshold": 0.8, "coverage": 0.5, "precision": 1.0}


def test_mismatched_input_is_a_data_error(trained):
    """Lengths must match."""
    with pytest.raises(DataError):
        evaluate(trained.router(), ["a"], [])
