"""Serving-side wrapper: a fitted pipeline plus its metadata."""

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import sklearn

from .text import normalize


@dataclass(frozen=True)
class Candidate:
    """One routing suggestion: a label and its calibrated probability."""

    label: str
    probability: float


class Router:
    """Route citizens' messages to labels with calibrated probabilities.

    Parameters
    ----------
    pipeline : sklearn estimator
        Fitted estimator with ``predict_proba`` and ``classes_``, taking raw texts.
    metadata : dict
        Model metadata; must contain ``version`` and ``threshold``.
    """

    def __init__(self, pipeline, metadata: dict):
        """Wrap a fitted pipeline and its metadata."""
        self.pipeline = pipeline
        self.metadata = metadata

    @classmethod
    def load(cls, model_dir) -> "Router":
        """Load a router saved with ``TrainedModel.save``.

        Parameters
        ----------
        model_dir : str or os.PathLike
            Directory holding ``model.joblib`` and ``metadata.json``.

        Returns
        -------
        Router

        Raises
        ------
        ModelError
            If the directory or a file is missing or corrupt, or the metadata is
            incompatible with this code or the installed scikit-learn.
        """
        from .registry import load_model  # deferred: registry imports this module

        pipeline, metadata = load_model(model_dir)
        return cls(pipeline, metadata)

    @property
    def version(self) -> str:
        """Return the model version string."""
        return self.metadata["version"]

    @property
    def labels(self) -> list[str]:
        """Return the labels the model can predict, sorted."""
        return [str(c) for c in self.pipeline.classes_]

    @property
    def threshold(self) -> float:
        """Return the auto-dispatch threshold on the top-1 probability."""
        return float(self.metadata["threshold"])

    def predict(self, text: str, k: int = 3) -> list[Candidate]:
        """Return the ``k`` most probable labels for one text.

        Parameters
        ----------
        text : str
            The citizen's message.
        k : int, default 3
            Number of candidates to return (at most the number of labels).

        Returns
        -------
        list of Candidate
            Sorted by decreasing probability; empty for empty or blank text.
        """
        return self.predict_many([text], k=k)[0]

    def predict_many(self, texts: Sequence[str], k: int = 3) -> list[list[Candidate]]:
        """Return the top-``k`` candidates for each text (``[]`` for blank texts).

        Parameters
        ----------
        texts : sequence of str
        k : int, default 3

        Returns
        -------
        list of list of Candidate
        """
        if isinstance(texts, str):
            raise TypeError("predict_many takes a sequence of texts, not a single string")
        if k < 1:
            raise ValueError("k must be at least 1")
        texts = list(texts)
        results: list[list[Candidate]] = [[] for _ in texts]
        # Texts that are blank once masks are removed carry no signal.
        live = [i for i, t in enumerate(texts) if isinstance(t, str) and normalize(t)]
        if not live:
            return results
        # TF-IDF output is always finite; skipping sklearn's checks saves time per ticket.
        with sklearn.config_context(assume_finite=True):
            proba = self.pipeline.predict_proba([texts[i] for i in live])
        classes = self.pipeline.classes_
        k = min(k, len(classes))
        top = np.argsort(-proba, axis=1, kind="stable")[:, :k]
        for row, i in enumerate(live):
            results[i] = [Candidate(str(classes[j]), float(proba[row, j])) for j in top[row]]
        return results

    def __repr__(self) -> str:
        """Return a short description naming the version and label count."""
        return f"Router(version={self.version!r}, labels={len(self.labels)})"
