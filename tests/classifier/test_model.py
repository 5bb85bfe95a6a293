"""The NB-SVM base model."""

import numpy as np
from scipy import sparse
from sklearn.svm import LinearSVC

from classifier.model import NBSVMClassifier


def _data(seed=0, n=300, d=40, k=3):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    X = sparse.random(n, d, density=0.2, random_state=seed, format="csr")
    X = X + sparse.csr_matrix((np.ones(n), (np.arange(n), y * 3)), shape=(n, d))  # class-linked feature
    return sparse.csr_matrix(X), y


def test_folded_weights_match_scaled_features():
    """Scores equal a binary LinearSVC on x * r for each class (r folded into the weights)."""
    X, y = _data()
    model = NBSVMClassifier(C=0.3).fit(X, y)
    present = (X > 0).toarray()
    for j, k in enumerate(model.classes_):
        p = 1.0 + present[y == k].sum(axis=0)
        q = 1.0 + present[y != k].sum(axis=0)
        r = np.log((p / p.sum()) / (q / q.sum()))
        svc = LinearSVC(C=0.3, class_weight="balanced").fit(X @ sparse.diags(r), y == k)
        assert np.allclose(model.decision_function(X)[:, j], svc.decision_function(X @ sparse.diags(r)), atol=1e-4)
    assert (model.predict(X) == y).mean() > 0.9


def test_binary_problem_gives_two_columns():
    """With two classes the scores still have one column per class."""
    X, y = _data(k=2)
    assert NBSVMClassifier().fit(X, y).decision_function(X[:5]).shape == (5, 2)


def test_weights_are_stored_for_copy_free_prediction(trained, tmp_path):
    """Base-model weights are Fortran-ordered (coef_.T C-contiguous), also after save and load."""
    from classifier import Router

    trained.save(tmp_path)
    for pipeline in (trained.pipeline, Router.load(tmp_path).pipeline):
        linear = [model for _, _, model, _ in pipeline.base_ if hasattr(model, "coef_")]
        assert linear  # the default bases are linear; without any this test would check nothing
        for model in linear:
            assert model.coef_.T.flags["C_CONTIGUOUS"]


def test_training_is_reproducible(corpus):
    """The same data and random_state give the same probabilities (liblinear is seeded)."""
    from classifier.model import StackedTextClassifier

    texts, labels = corpus
    a = StackedTextClassifier(random_state=3).fit(texts, labels).predict_proba(texts[:10])
    b = StackedTextClassifier(random_state=3).fit(texts, labels).predict_proba(texts[:10])
    assert np.array_equal(a, b)


def test_the_fast_path_computes_exactly_what_sklearn_computes(trained, corpus):
    """Prediction skips sklearn's per-call checks: the features, scores and probabilities are the same numbers."""
    from sklearn.utils.validation import check_is_fitted

    from classifier import confidence as conf
    from classifier.fastpath import linear_scores, tfidf_transform

    texts = corpus[0][::7] + ["地铁 公交车 拥堵", "", "****区"]
    model = trained.pipeline
    views = {}
    for name, vectorizer in (("word", model.word_), ("char", model.char_)):
        views[name], slow = tfidf_transform(vectorizer, texts), vectorizer.transform(texts)
        # The same sparsity; the values agree to float32 rounding (the l2 norm is summed in another order).
        assert views[name].dtype == slow.dtype and np.array_equal(views[name].indices, slow.indices)
        assert np.allclose(views[name].toarray(), slow.toarray(), rtol=1e-6, atol=0)
    blocks = []
    for _, view, base, method in model.base_:
        check_is_fitted(base)
        blocks.append(getattr(base, method)(views[view]))
        assert np.array_equal(linear_scores(base, views[view]), blocks[-1])
    # The whole prediction rebuilt from sklearn's own calls on the same features.
    proba = model._debias(model.meta_.predict_proba(np.hstack(blocks)))
    expected = proba
    if model.confidence_ is not None:  # the tiny corpus is too easy to learn when the model errs
        G = conf.confidence_features(proba, blocks, model._n_chars(texts))
        expected = conf.rescale(proba, model.confidence_.predict_proba(G)[:, 1])
    assert np.allclose(model.predict_proba(texts), expected, rtol=0, atol=1e-12)
    X, y = _data(k=2)
    svc = LinearSVC().fit(X, y)
    assert np.array_equal(linear_scores(svc, X), svc.decision_function(X))  # two classes: one score, 1-D
