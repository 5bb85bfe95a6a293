"""Recalibrating top-1 probabilities."""

import numpy as np
import pytest

from classifier.confidence import can_fit, confidence_features, rescale


def test_rescale_sets_top1_and_keeps_ranking_and_sum():
    """Top-1 becomes the confidence; order and total probability are unchanged."""
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.full(6, 0.4), size=2000)
    conf = rng.random(2000)
    out = rescale(proba, conf)
    assert np.allclose(out.sum(axis=1), 1.0)
    assert (np.argsort(-out, axis=1, kind="stable")[:, :3] == np.argsort(-proba, axis=1, kind="stable")[:, :3]).all()
    ok = conf >= np.sort(proba, axis=1)[:, -2] / (1 - proba.max(axis=1) + np.sort(proba, axis=1)[:, -2])
    assert np.allclose(out.max(axis=1)[ok], conf[ok])


def test_rescale_by_hand():
    """[0.6, 0.3, 0.1] with confidence 0.8 keeps the 3:1 ratio of the others."""
    out = rescale(np.array([[0.6, 0.3, 0.1]]), np.array([0.8]))
    assert out[0] == pytest.approx([0.8, 0.15, 0.05])


def test_certain_rows_are_left_alone():
    """A row with all mass on one label cannot be redistributed."""
    assert rescale(np.array([[1.0, 0.0]]), np.array([0.3])).tolist() == [[1.0, 0.0]]


def test_features_and_fit_guard():
    """Features have one row per text; too few wrong answers disable the model."""
    proba = np.array([[0.7, 0.3], [0.4, 0.6]])
    blocks = [np.array([[1.0, -1.0], [1.0, -1.0]])]
    feats = confidence_features(proba, blocks, np.array([10.0, 200.0]))
    assert feats.shape == (2, 4 + 2 + 2) and feats[:, 4].tolist() == [1.0, 0.0]
    assert not can_fit(np.array([True] * 100 + [False] * 3))
    assert can_fit(np.array([True] * 100 + [False] * 30))


@pytest.mark.parametrize("n_classes", [2, 4])
def test_fast_path_matches_sklearn(n_classes):
    """linear_proba reproduces the pipeline's predict_proba."""
    from classifier.confidence import make_confidence_model
    from classifier.fastpath import linear_proba

    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 5)) * [1, 10, 0.1, 3, 1]
    y = rng.integers(0, n_classes, size=200)
    model = make_confidence_model().fit(X, y)
    assert np.allclose(linear_proba(model, X), model.predict_proba(X), atol=1e-10)
