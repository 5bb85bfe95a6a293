"""Command line: ``python -m classifier train|evaluate``."""

import argparse
import json
import sys

from .data import load_labelled_csv
from .errors import DataError, ModelError


def _parser() -> argparse.ArgumentParser:
    """Build the argument parser with the train and evaluate subcommands."""
    parser = argparse.ArgumentParser(prog="python -m classifier", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="train a model from a labelled CSV and save it")
    tr.add_argument("--data", required=True, help="CSV with text and label columns")
    tr.add_argument("--out", required=True, help="directory to write model.joblib and metadata.json")
    tr.add_argument("--target-precision", type=float, default=0.92)
    tr.add_argument("--min-class-count", type=int, default=None, help="drop labels with fewer rows")
    tr.add_argument("--random-state", type=int, default=0)
    tr.add_argument("--text-column", default="text")
    tr.add_argument("--label-column", default="label")
    tr.add_argument("--title-column", default="title", help="put this column, where present, before the text")
    ev = sub.add_parser("evaluate", help="score a saved model on a labelled CSV (JSON to stdout)")
    ev.add_argument("--model", required=True, help="model directory")
    ev.add_argument("--data", required=True, help="CSV with text and label columns")
    ev.add_argument("--text-column", default="text")
    ev.add_argument("--label-column", default="label")
    ev.add_argument("--title-column", default="title", help="put this column, where present, before the text")
    return parser


def _train(args) -> int:
    """Train, save and print a one-line summary to stderr."""
    from .train import train

    texts, labels = load_labelled_csv(args.data, args.text_column, args.label_column, args.title_column)
    extra = {} if args.min_class_count is None else {"min_class_count": args.min_class_count}
    model = train(texts, labels, target_precision=args.target_precision,
                  random_state=args.random_state, progress=True, **extra)
    model.save(args.out)
    m = model.metadata
    print(
        f"saved {m['version']} to {args.out}: threshold {m['threshold']:.3f}, "
        f"coverage {m['coverage']:.1%} at precision {m['precision']:.1%} (cross-validated)",
        file=sys.stderr,
    )
    return 0


def _evaluate(args) -> int:
    """Load a model, score it on the CSV and print the metrics as JSON."""
    from .evaluate import evaluate
    from .router import Router

    router = Router.load(args.model)
    texts, labels = load_labelled_csv(args.data, args.text_column, args.label_column, args.title_column)
    json.dump(evaluate(router, texts, labels, progress=True), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def main(argv=None) -> int:
    """Run the CLI; user errors print one line to stderr and return a non-zero code."""
    args = _parser().parse_args(argv)
    try:
        return _train(args) if args.command == "train" else _evaluate(args)
    except (DataError, ModelError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
