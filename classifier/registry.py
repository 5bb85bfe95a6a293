"""Saving and loading models: model.joblib plus metadata.json, with compatibility checks."""

import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path

import joblib
import sklearn

from .errors import ModelError

# Bump when the saved object layout or metadata schema changes incompatibly.
FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
REQUIRED_KEYS = ("format_version", "version", "labels", "threshold", "versions", "model_sha256")


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _atomic_write(path: Path, writer) -> None:
    """Write a file via a temporary sibling and rename, so readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        writer(tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the service may run as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(pipeline, metadata: dict, out_dir) -> Path:
    """Write ``model.joblib`` and ``metadata.json`` into ``out_dir`` and return it."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model_path = out / MODEL_FILE
    _atomic_write(model_path, lambda p: joblib.dump(pipeline, p, compress=3))
    meta = dict(metadata, format_version=FORMAT_VERSION, model_sha256=file_sha256(model_path))
    text = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True)
    # metadata.json is written last: its checksum is what makes the pair valid.
    _atomic_write(out / METADATA_FILE, lambda p: Path(p).write_text(text + "\n", encoding="utf-8"))
    return out


def _major(version: str) -> str:
    """Return the major component of a dotted version string."""
    return str(version).split(".")[0]


def read_metadata(model_dir) -> dict:
    """Read and check ``metadata.json`` in ``model_dir`` or raise ModelError."""
    folder = Path(model_dir)
    if not folder.is_dir():
        raise ModelError(f"model directory {folder} does not exist")
    meta_path = folder / METADATA_FILE
    if not meta_path.is_file():
        raise ModelError(f"{meta_path} is missing")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta_path} is corrupt: {exc}") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{meta_path} is corrupt: not a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ModelError(f"{meta_path} lacks {', '.join(missing)}")
    if meta["format_version"] != FORMAT_VERSION:
        raise ModelError(
            f"model format_version {meta['format_version']} is not supported "
            f"(this code reads {FORMAT_VERSION}); retrain the model"
        )
    saved = str(meta["versions"].get("sklearn", ""))
    if _major(saved) != _major(sklearn.__version__):
        raise ModelError(
            f"model was built with scikit-learn {saved}, installed is {sklearn.__version__}; retrain the model"
        )
    return meta


def load_model(model_dir):
    """Return (pipeline, metadata) from ``model_dir`` or raise ModelError."""
    meta = read_metadata(model_dir)
    model_path = Path(model_dir) / MODEL_FILE
    if not model_path.is_file():
        raise ModelError(f"{model_path} is missing")
    # Unpickling runs code, so only load the exact file the metadata vouches for.
    if file_sha256(model_path) != meta["model_sha256"]:
        raise ModelError(f"{model_path} does not match the checksum in {METADATA_FILE} (corrupt or replaced)")
    try:
        with warnings.catch_warnings():
            # A minor scikit-learn upgrade warns on unpickling; the major check above
            # is our compatibility rule, so the warning must not abort a service start.
            warnings.simplefilter("ignore", category=getattr(sklearn.exceptions, "InconsistentVersionWarning", UserWarning))
            pipeline = joblib.load(model_path)
    except Exception as exc:  # unpickling can fail in many ways; all mean "unusable"
        raise ModelError(f"{model_path} cannot be loaded: {type(exc).__name__}: {exc}") from None
    if not hasattr(pipeline, "predict_proba") or list(map(str, pipeline.classes_)) != list(meta["labels"]):
        raise ModelError(f"{model_path} does not match the labels in {METADATA_FILE}")
    from .tokenizer import ensure_initialized

    # Pay jieba's dictionary load now, not on the first ticket.
    ensure_initialized()
    return pipeline, meta
