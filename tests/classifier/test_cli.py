"""The ``python -m classifier`` command line."""

import csv
import json
import subprocess
import sys

from classifier.cli import main

from .conftest import make_corpus


def write_csv(path, texts, labels):
    """Write a text,label CSV and return its path."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "label"])
        writer.writerows((i, t, y) for i, (t, y) in enumerate(zip(texts, labels)))
    return path


def test_train_then_evaluate(tmp_path, capsys):
    """train writes a model; evaluate prints the evaluate() JSON to stdout."""
    data = write_csv(tmp_path / "d.csv", *make_corpus(per_label=15))
    assert main(["train", "--data", str(data), "--out", str(tmp_path / "m"), "--min-class-count", "5",
                 "--target-precision", "0.9"]) == 0
    assert (tmp_path / "m" / "model.joblib").is_file()
    capsys.readouterr()
    assert main(["evaluate", "--model", str(tmp_path / "m"), "--data", str(data)]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["n"] == 45 and report["accuracy"] > 0.9 and "coverage_at_precision" in report


def test_bad_input_is_one_line_and_non_zero(tmp_path, capsys):
    """A missing column or model directory exits 2 with a one-line message."""
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body,label\n1,x,a\n", encoding="utf-8")
    assert main(["train", "--data", str(bad), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "lacks column" in err
    assert main(["evaluate", "--model", str(tmp_path / "nope"), "--data", str(bad)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_module_entry_point_has_no_traceback(tmp_path):
    """``python -m classifier`` on a non-UTF-8 file fails cleanly."""
    bad = tmp_path / "gbk.csv"
    bad.write_bytes("text,label\n地铁,交通\n".encode("gbk"))
    proc = subprocess.run(
        [sys.executable, "-m", "classifier", "train", "--data", str(bad), "--out", str(tmp_path / "m")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "not UTF-8" in proc.stderr
