"""Direct NumPy evaluation of fitted scaler + logistic-regression pipelines.

sklearn's per-call validation costs ~0.2 ms per estimator, which dominates
single-ticket latency; the arithmetic itself takes microseconds.
"""

import numpy as np
from scipy.special import expit, softmax
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.svm import LinearSVC


def linear_proba(pipeline, X: np.ndarray) -> np.ndarray:
    """Return ``pipeline.predict_proba(X)`` for a fitted StandardScaler -> LogisticRegression pipeline."""
    scaler, lr = pipeline[0], pipeline[-1]
    Z = (np.asarray(X, dtype=float) - scaler.mean_) / scaler.scale_
    scores = Z @ lr.coef_.T + lr.intercept_
    if lr.coef_.shape[0] == 1:  # binary: one logit for the positive class
        p = expit(scores[:, 0])
        return np.column_stack([1.0 - p, p])
    return softmax(scores, axis=1)


def linear_scores(model, X) -> np.ndarray:
    """Return ``model.decision_function(X)`` for a fitted LinearSVC, without its per-call validation.

    The same product and sum as sklearn's (``X @ coef_.T + intercept_``, 1-D for two classes); the input
    checks around it cost about a millisecond per ticket, the arithmetic microseconds.
    """
    if not isinstance(model, LinearSVC):
        return model.decision_function(X)
    scores = np.asarray(X @ model.coef_.T) + model.intercept_
    return scores.ravel() if scores.shape[1] == 1 else scores


def tfidf_transform(vectorizer, texts):
    """Return ``vectorizer.transform(texts)`` for a fitted TfidfVectorizer, without its per-call validation.

    Counting is sklearn's own (CountVectorizer.transform); the sublinear tf, idf and l2 steps are
    done here on the sparse data, which saves about half a millisecond per vectorizer and ticket.
    """
    if vectorizer.norm not in ("l2", None) or not vectorizer.use_idf:
        return vectorizer.transform(texts)
    # Keep the vectorizer's dtype: the weights match it, and a mismatch would copy them on every product.
    X = CountVectorizer.transform(vectorizer, texts).astype(vectorizer.dtype, copy=False)
    if vectorizer.sublinear_tf:
        np.log(X.data, out=X.data)
        X.data += 1.0
    X.data *= vectorizer.idf_[X.indices]
    if vectorizer.norm == "l2":
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        norms = np.sqrt(np.bincount(rows, weights=X.data ** 2, minlength=X.shape[0])).astype(X.dtype)
        X.data /= norms[rows]  # an empty row has no data, so no zero norm is ever divided by
    return X
