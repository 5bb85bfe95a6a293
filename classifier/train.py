"""Training: validate data, fit the model, pick the auto-dispatch threshold, record metadata."""

import datetime as _dt
import platform
import secrets
import sys
from collections import Counter

import jieba
import numpy as np
import sklearn
from tqdm.auto import tqdm

from .data import data_fingerprint, drop_rare_labels, validate_pairs
from .errors import DataError
from .evaluate import score_predictions
from .model import StackedTextClassifier
from .registry import FORMAT_VERSION, save_model
from .router import Router
from .threshold import SAFETY_Z, pick_threshold, wilson_lower_bound

# Labels with fewer rows are ministry names seen a handful of times: too few
# to learn or to estimate precision on, so they are left to manual dispatch.
DEFAULT_MIN_CLASS_COUNT = 10


class TrainedModel:
    """A freshly trained model with its metadata.

    Parameters
    ----------
    pipeline : estimator
        Fitted classifier taking raw texts.
    metadata : dict
        Version, labels, threshold, metrics, data hash, library versions, params.
    """

    def __init__(self, pipeline, metadata: dict):
        """Hold a fitted pipeline and its (still editable) metadata."""
        self.pipeline = pipeline
        self.metadata = metadata

    def save(self, out_dir):
        """Write ``model.joblib`` and ``metadata.json`` into ``out_dir``.

        Parameters
        ----------
        out_dir : str or os.PathLike
            Created if missing; existing model files are replaced atomically.

        Returns
        -------
        pathlib.Path
            The output directory.
        """
        path = save_model(self.pipeline, self.metadata, out_dir)
        # save_model adds format_version and model_sha256; keep ours in step.
        from .registry import read_metadata

        self.metadata = read_metadata(path)
        return path

    def router(self) -> Router:
        """Return a Router serving this model without saving it first."""
        return Router(self.pipeline, dict(self.metadata, format_version=FORMAT_VERSION))


def library_versions() -> dict:
    """Return the versions of Python and the libraries the pickle depends on."""
    import scipy

    return {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "jieba": getattr(jieba, "__version__", "unknown"),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


def _version(now: _dt.datetime, data_sha: str) -> str:
    """Return a unique, sortable model version: UTC time, data hash prefix, random suffix."""
    return f"{now:%Y%m%dT%H%M%S}-{data_sha[:8]}-{secrets.token_hex(2)}"


def train(texts, labels, *, target_precision: float = 0.92, random_state: int = 0,
          progress: bool = False, min_class_count: int = DEFAULT_MIN_CLASS_COUNT,
          sample_weight=None) -> TrainedModel:
    """Train a router model and choose its auto-dispatch threshold.

    Parameters
    ----------
    texts, labels : sequence of str
        Messages and their labels.
    target_precision : float, default 0.92
        Required precision of auto-dispatched tickets (top-1 probability at or
        above the threshold), estimated on held-back (out-of-fold) predictions;
        the threshold is the lowest one whose precision reaches it with a
        safety margin (Wilson lower bound, ``threshold.SAFETY_Z``), so that the
        target also holds on new tickets.
    random_state : int, default 0
    progress : bool, default False
        Show a tqdm progress bar on stderr.
    min_class_count : int, default 10
        Labels with fewer rows are dropped (listed in ``metadata["dropped_labels"]``);
        the model never predicts them.
    sample_weight : sequence of float, optional
        One non-negative weight per text (e.g. recent tickets more than old ones), used by every
        model of the stack; the threshold is still picked on unweighted held-out predictions.

    Returns
    -------
    TrainedModel

    Raises
    ------
    DataError
        If the data is empty, mismatched, has empty texts or labels, or fewer
        than two labels with at least ``min_class_count`` rows.
    """
    if not 0.0 < float(target_precision) <= 1.0:
        raise DataError(f"target_precision must be in (0, 1], got {target_precision}")
    if int(min_class_count) < 2:
        raise DataError("min_class_count must be at least 2 (each label needs rows to learn and to test on)")
    texts, labels = validate_pairs(texts, labels)
    data_sha = data_fingerprint(texts, labels)
    weights = None if sample_weight is None else np.asarray(list(sample_weight), dtype=float)
    if weights is not None and (len(weights) != len(texts) or not np.all(np.isfinite(weights))
                                or (weights < 0).any() or not weights.sum() > 0):
        raise DataError(f"sample_weight needs {len(texts)} finite, non-negative weights with a positive sum")
    kept_texts, kept_labels, dropped = drop_rare_labels(texts, labels, int(min_class_count))
    if weights is not None:
        weights = weights[np.isin(np.asarray(labels, dtype=object), list(set(kept_labels)))]
    if len(set(kept_labels)) < 2:
        raise DataError(
            f"fewer than two labels have at least {min_class_count} rows "
            f"(counts: {dict(Counter(labels).most_common(5))}); add data or lower min_class_count"
        )
    started = _dt.datetime.now(_dt.timezone.utc)
    model = StackedTextClassifier(random_state=random_state)
    with tqdm(total=model.n_steps(), desc="training", unit="step", disable=not progress, file=sys.stderr) as bar:
        held_out = model.fit_oof(kept_texts, kept_labels, on_step=lambda: bar.update(1), sample_weight=weights)
    y = np.asarray(kept_labels, dtype=object)
    classes = model.classes_
    order = np.argsort(-held_out, axis=1, kind="stable")[:, :3]
    top1 = held_out.max(axis=1)
    correct = classes[order[:, 0]] == y
    threshold, precision, coverage = pick_threshold(top1, correct, float(target_precision), z=SAFETY_Z)
    scores = score_predictions(y, [list(classes[row]) for row in order], top1)
    finished = _dt.datetime.now(_dt.timezone.utc)
    metadata = {
        "version": _version(started, data_sha),
        "labels": [str(c) for c in classes],
        "dropped_labels": dropped,
        "threshold": threshold,
        "target_precision": float(target_precision),
        "precision": None if np.isnan(precision) else precision,
        "precision_lower_bound": None if np.isnan(precision) else float(
            wilson_lower_bound(precision, round(coverage * len(y)), SAFETY_Z)),
        "threshold_rule": f"lowest threshold whose held-out precision has a Wilson lower bound (z={SAFETY_Z}) >= target",
        "coverage": coverage,
        "held_out": {
            "method": f"{model._n_splits(np.searchsorted(classes, y))}-fold out-of-fold predictions",
            "accuracy": scores["accuracy"],
            "macro_f1": scores["macro_f1"],
            "top3": scores["top3"],
            "coverage_at_precision": scores["coverage_at_precision"],
        },
        "data_sha256": data_sha,
        "n_train": len(kept_texts),
        "n_rows": len(texts),
        "versions": library_versions(),
        "created_at": finished.isoformat(timespec="seconds"),
        "training_seconds": round((finished - started).total_seconds(), 1),
        "params": {"estimator": type(model).__name__, "min_class_count": int(min_class_count),
                   "random_state": random_state, **_jsonable(model.get_params())},
    }
    return TrainedModel(model, metadata)


def _jsonable(params: dict) -> dict:
    """Return estimator params with tuples turned into lists for JSON."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
