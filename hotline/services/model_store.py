"""Training and storing model versions for the service (thin over `classifier`)."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from classifier import load_labelled_csv, train
from models import Setting

from .errors import InvalidInput, NotFound
from .routing import RoutingEngine, available_versions

ACTIVE_MODEL_KEY = "active_model"  # the Setting naming the version every host serves
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


def describe_version(path: Path, active: str | None) -> dict:
    """A model version's metadata as the admin page and GET /api/v1/models show it."""
    try:
        meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"version": path.name, "active": False, "error": f"unreadable metadata: {exc}"}
    return {
        "version": path.name,
        "active": path.name == active,
        "created_at": meta.get("created_at"),
        "threshold": meta.get("threshold"),
        "target_precision": meta.get("target_precision"),
        "metrics": {k: v for k, v in (meta.get("held_out") or {}).items() if isinstance(v, (int, float))},
        "precision": meta.get("precision"),
        "coverage": meta.get("coverage"),
        "n_train": meta.get("n_train"),
        "labels": meta.get("labels"),
        "data_sha256": meta.get("data_sha256"),
        "source": meta.get("source", "bundled"),
    }


def activate_version(session: Session, engine: RoutingEngine, root: Path, version: str, actor_id: int,
                     now: datetime) -> None:
    """Put `version` in service on this host now, and on every host through the database setting (not committed)."""
    if version not in available_versions(root):
        raise NotFound("model_version_not_found", field="version", version=version)
    if not engine.activate(version):
        raise InvalidInput("model_unloadable", field="version", version=version, problem=str(engine.load_error))
    setting = session.get(Setting, ACTIVE_MODEL_KEY) or Setting(key=ACTIVE_MODEL_KEY)
    setting.value, setting.updated_at, setting.updated_by_id = version, now, actor_id
    session.add(setting)
