"""Take the README's screenshots: run the browser tests on SQLite with HOTLINE_SCREENSHOTS set.

    python docs/screenshots/make.py        # writes docs/screenshots/*.png

Needs Chromium (apt-get install chromium, or CHROMIUM_PATH) and, for Chinese text, a CJK font
such as fonts-wqy-microhei or fonts-noto-cjk.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> int:
    """Run tests/web/test_browser.py once (SQLite only), saving a PNG of each main page here."""
    env = {**os.environ, "HOTLINE_SCREENSHOTS": str(HERE)}
    env.pop("HOTLINE_TEST_DATABASE_URL", None)  # one database is enough for pictures
    command = [sys.executable, "-m", "pytest", "tests/web/test_browser.py", "-q", "-p", "no:cacheprovider"]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
