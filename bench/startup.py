"""How long the commands that never route take to start, and which heavy libraries they load.

Run by hand: ``.venv/bin/python bench/startup.py [--runs 5]`` (a throw-away SQLite database; the target
is under 2 s for each, model libraries unloaded).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sklearn", "scipy", "numpy", "jieba", "openpyxl")
COMMANDS = (["--help"], ["hotline", "--help"], ["cycle", "runs"], ["cycle", "daily"],
            ["hotline", "import", str(ROOT / "hotline/data/cities/hengyang"), "--dry-run"])
PROBE = ("import sys\nfrom flask.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
         f"print('HEAVY', sorted(set({HEAVY!r}) & set(sys.modules)), file=sys.stderr)")


def main() -> None:
    """Time each command `--runs` times and print the median with the heavy modules it imported."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "HOTLINE_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
               "HOTLINE_SECRET_KEY": "bench-only", "HOTLINE_MODEL_DIR": folder}
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run([*flask, "hotline", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
        for command in COMMANDS:
            times, heavy = [], ""
            for _ in range(args.runs):
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-c", PROBE, "--app", "wsgi", *command], cwd=ROOT, env=env,
                                      capture_output=True, text=True)
                times.append(time.perf_counter() - started)
                heavy = done.stderr.rsplit("HEAVY", 1)[-1].strip()
            print(f"{' '.join(command)[:60]:<60} median {statistics.median(times):5.2f} s  "
                  f"max {max(times):5.2f} s  heavy modules: {heavy}")


if __name__ == "__main__":
    main()
