"""Benchmark the router and knowledge base on held-back splits of the bundled data.

Run by hand: ``/work/venv/bin/python bench/router.py [--seed N]``.
"""

import argparse
import csv
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier import KnowledgeBase, Router, evaluate, load_labelled_csv, train  # noqa: E402


def split(texts, labels, seed):
    """Return a stratified 80/20 split; labels with one row are stratified together."""
    counts = Counter(labels)
    strata = [lab if counts[lab] >= 2 else "__rare__" for lab in labels]
    return train_test_split(texts, labels, test_size=0.2, stratify=strata, random_state=seed)


def percentiles(seconds):
    """Return (p50, p99) in milliseconds."""
    ms = np.asarray(seconds) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def bench_router(seed):
    """Train on 80 % of msga_domain.csv, evaluate on 20 %, time predict and load."""
    texts, labels = load_labelled_csv(ROOT / "data" / "msga_domain.csv")
    tr_x, te_x, tr_y, te_y = split(texts, labels, seed)
    t0 = time.perf_counter()
    model = train(tr_x, tr_y, random_state=seed)
    train_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        model.save(tmp)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        t0 = time.perf_counter()
        router = Router.load(tmp)
        load_s = time.perf_counter() - t0
    ev = evaluate(router, te_x, te_y)
    known = set(router.labels)
    print(f"domain split seed={seed}: train {len(tr_x)} / test {len(te_x)} "
          f"({sum(1 for y in te_y if y not in known)} test rows carry labels dropped as too rare)")
    print(f"  training time (80 % data)   {train_s:6.1f} s")
    print(f"  accuracy                    {ev['accuracy']:.4f}")
    print(f"  macro-F1 (labels in test)   {ev['macro_f1']:.4f}   ({len(set(te_y))} labels)")
    print(f"  macro-F1 (learned labels)   {ev['macro_f1_known_labels']:.4f}   ({len(set(te_y) & known)} labels)")
    print(f"  top-3                       {ev['top3']:.4f}")
    c92 = ev["coverage_at_precision"]["0.92"]
    print(f"  coverage at 92 % precision  {c92['coverage']:.4f}  (best threshold on test {c92['threshold']:.3f})")
    at = ev["at_model_threshold"]
    print(f"  at model threshold {at['threshold']:.3f}: coverage {at['coverage']:.4f}, precision {at['precision']:.4f}")
    for lab in ("文娱", "旅游", "金融"):
        pc = ev["per_class"].get(lab)
        if pc:
            print(f"    {lab}: P {pc['precision']:.2f} R {pc['recall']:.2f} F1 {pc['f1']:.2f} (n={pc['support']})")
    # Latency: one ticket at a time, as the intake screen calls it.
    sample = te_x[:500]
    router.predict(sample[0])  # warm-up
    times = []
    for text in sample:
        t0 = time.perf_counter()
        router.predict(text)
        times.append(time.perf_counter() - t0)
    p50, p99 = percentiles(times)
    print(f"  predict latency             p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    long_text = (te_x[0] * 100)[:5000]
    t0 = time.perf_counter()
    router.predict(long_text)
    print(f"  predict 5,000-char text     {(time.perf_counter() - t0) * 1000:.2f} ms")
    t0 = time.perf_counter()
    router.predict_many(te_x)
    print(f"  batch throughput            {len(te_x) / (time.perf_counter() - t0):.0f} tickets/s")
    print(f"  model size on disk          {size / 1e6:.1f} MB")
    print(f"  load time                   {load_s * 1000:.0f} ms")


def bench_kb(seed):
    """Index 80 % of msga_dept.csv and check the top hit's department for the other 20 %."""
    with open(ROOT / "data" / "msga_dept.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    train_rows, test_rows = train_test_split(
        rows, test_size=0.2, stratify=[r["label"] for r in rows], random_state=seed
    )
    t0 = time.perf_counter()
    kb = KnowledgeBase((r["id"], r["text"], r["answer"], r["label"]) for r in train_rows)
    build_s = time.perf_counter() - t0
    agree, times = 0, []
    for r in test_rows:
        t0 = time.perf_counter()
        hits = kb.search(r["text"], limit=5)
        times.append(time.perf_counter() - t0)
        agree += bool(hits) and kb.department(hits[0].id) == r["label"]
    p50, p99 = percentiles(times)
    print(f"knowledge base: {len(train_rows)} entries indexed in {build_s:.2f} s, {len(test_rows)} held-back questions")
    print(f"  top-1 department agreement  {agree / len(test_rows):.4f}")
    print(f"  search latency              p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    long_q = "".join(r["answer"] for r in test_rows)[:5000]
    t0 = time.perf_counter()
    kb.search(long_q)
    print(f"  search 5,000-char query     {(time.perf_counter() - t0) * 1000:.2f} ms")


def main():
    """Run both benchmarks and print peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    bench_router(args.seed)
    bench_kb(args.seed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)         {peak:.0f} MB")


if __name__ == "__main__":
    main()
