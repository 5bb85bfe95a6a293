"""Take the README's screenshots: run the browser tests on SQLite with HOTLINE_SCREENSHOTS set.

    python docs/screenshots/make.py        # writes docs/screenshots/*.png

The tests' own model is a small sample, good enough for assertions but not for pictures (a peeling
stairwell wall suggested as 治安); this script first trains a model on all the bundled data (labels
with at least 20 rows, as the service's default model) into a temporary folder and hands it to the
tests through HOTLINE_TEST_MODEL_DIR.

Needs Chromium (apt-get install chromium, or CHROMIUM_PATH) and, for Chinese text, a CJK font
such as fonts-wqy-microhei or fonts-noto-cjk.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def train_full_model(model_dir: Path) -> str:
    """Train the service's default model (all the bundled data) into `model_dir`; return its version."""
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere in the checkout
    from hotline.services.model_store import train_from_csv

    return train_from_csv(ROOT / "data" / "msga_domain.csv", model_dir, progress=True)


def main() -> int:
    """Run tests/hotline/web/test_browser.py once (SQLite only, the full model), saving a PNG of each main page here."""
    with tempfile.TemporaryDirectory(prefix="hotline-screens-") as tmp:
        version = train_full_model(Path(tmp))
        print(f"model {version} trained on the bundled data", file=sys.stderr)
        env = {**os.environ, "HOTLINE_SCREENSHOTS": str(HERE), "HOTLINE_TEST_MODEL_DIR": tmp}
        env.pop("HOTLINE_TEST_DATABASE_URL", None)  # one database is enough for pictures
        command = [sys.executable, "-m", "pytest", "tests/hotline/web/test_browser.py", "-q", "-p", "no:cacheprovider"]
        return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
