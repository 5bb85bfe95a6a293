"""Training and storing model versions for the service (thin over `classifier`)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from classifier import load_labelled_csv, train

MIN_CLASS_COUNT = 20  # the catalogue holds the labels with at least this many rows


def train_from_csv(path: Path, model_dir: Path, *, progress: bool = False, limit: int | None = None) -> str:
    """Train on a labelled CSV (labels with fewer than MIN_CLASS_COUNT rows left out); return the new version."""
    texts, labels = load_labelled_csv(path)
    counts = Counter(labels)
    pairs = [(t, y) for t, y in zip(texts, labels, strict=True) if counts[y] >= MIN_CLASS_COUNT]
    if limit:
        pairs = pairs[:limit]
    model = train([t for t, _ in pairs], [y for _, y in pairs], progress=progress)
    version = model.metadata["version"]
    model.save(model_dir / version)
    return version
