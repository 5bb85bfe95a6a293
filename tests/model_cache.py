"""The run's trained model, unpickled once per process however many test apps load it."""
from __future__ import annotations

import copy
from pathlib import Path


def models_loaded_once(registry, root: Path):
    """`classifier.registry.load_model`, remembering what it loaded from the run's model folder `root`.

    Each test's app loads its model on first use, from disk (~0.3 s of unpickling); the run's model never
    changes, so its (read-only) pipeline is shared and each load gets its own copy of the metadata. A folder
    anywhere else, or a file changed since, is loaded afresh with every check.
    """
    loaded: dict = {}
    load_model = registry.load_model

    def load(model_dir):
        folder = Path(model_dir).resolve()
        if folder.parent != root.resolve():
            return load_model(model_dir)
        try:
            stamp = tuple((s.st_mtime_ns, s.st_size, s.st_ino) for s in (
                (folder / name).stat() for name in (registry.METADATA_FILE, registry.MODEL_FILE)))
        except OSError:
            return load_model(model_dir)  # it says what is missing
        if loaded.get(folder, (None,))[0] != stamp:
            loaded[folder] = (stamp, load_model(model_dir))
        pipeline, metadata = loaded[folder][1]
        return pipeline, copy.deepcopy(metadata)

    return load
