"""Loading and validating labelled text data."""

import csv
import io
import hashlib
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from .errors import DataError

# Row numbers in messages are 1-based file lines (the header is line 1).
_MAX_LISTED_ROWS = 10


def _describe_rows(lines: Sequence[int]) -> str:
    """Return a short human list of line numbers, truncated after a few."""
    shown = ", ".join(str(n) for n in lines[:_MAX_LISTED_ROWS])
    more = len(lines) - _MAX_LISTED_ROWS
    return shown + (f" and {more} more" if more > 0 else "")


def load_labelled_csv(path, text_column: str = "text", label_column: str = "label", title_column: str | None = None):
    """Read texts and labels from a UTF-8 CSV file.

    Parameters
    ----------
    path : str or os.PathLike
        CSV file with a header row.
    text_column, label_column : str
        Names of the columns holding the message and its label.
    title_column : str, optional
        A column with the message's title; when the file has it, a non-empty title is put
        before the text (a title alone counts as the text).

    Returns
    -------
    texts : list of str
    labels : list of str

    Raises
    ------
    DataError
        If the file is missing, empty, not UTF-8, lacks a column, has rows
        with an empty text or label, or holds fewer than two labels.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        # utf-8-sig accepts the BOM that spreadsheet exports add.
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path} is not UTF-8 (invalid byte at offset {exc.start}); re-save it as UTF-8"
        ) from None
    if not content.strip():
        raise DataError(f"{path} is empty")
    # StringIO with newline="" keeps newlines inside quoted fields, as csv requires.
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in (text_column, label_column) if c not in header]
    if missing:
        raise DataError(
            f"{path} lacks column(s) {', '.join(missing)}; found: {', '.join(header) or 'none'}"
        )
    texts, labels, empty_text, empty_label = [], [], [], []
    for line, row in enumerate(reader, start=2):
        text = (row.get(text_column) or "").strip()
        title = (row.get(title_column) or "").strip() if title_column else ""
        if title:
            text = f"{title}\n{text}" if text else title
        label = (row.get(label_column) or "").strip()
        if not text:
            empty_text.append(line)
        if not label:
            empty_label.append(line)
        texts.append(text)
        labels.append(label)
    if not texts:
        raise DataError(f"{path} has a header but no data rows")
    if empty_text:
        raise DataError(f"{path}: empty {text_column!r} on line(s) {_describe_rows(empty_text)}")
    if empty_label:
        raise DataError(f"{path}: empty {label_column!r} on line(s) {_describe_rows(empty_label)}")
    if len(set(labels)) < 2:
        raise DataError(f"{path}: only one label ({labels[0]!r}); need at least two to train")
    return texts, labels


def validate_pairs(texts, labels, *, min_labels: int = 2, allow_empty_text: bool = False):
    """Check texts/labels and return them as lists of str (labels stripped), or raise DataError."""
    if isinstance(texts, str) or isinstance(labels, str):
        raise DataError("texts and labels must be sequences of strings, not a single string")
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels):
        raise DataError(f"{len(texts)} texts but {len(labels)} labels")
    if not texts:
        raise DataError("no training data")
    bad_type = [i for i, (t, l) in enumerate(zip(texts, labels)) if not isinstance(t, str) or not isinstance(l, str)]
    if bad_type:
        raise DataError(f"non-string text or label at index(es) {_describe_rows(bad_type)}")
    empty = [i for i, t in enumerate(texts) if not t.strip()]
    if empty and not allow_empty_text:
        raise DataError(f"empty text at index(es) {_describe_rows(empty)}")
    no_label = [i for i, l in enumerate(labels) if not l.strip()]
    if no_label:
        raise DataError(f"empty label at index(es) {_describe_rows(no_label)}")
    labels = [l.strip() for l in labels]
    if len(set(labels)) < min_labels:
        raise DataError(f"only one label ({labels[0]!r}); need at least two to train")
    return texts, labels


def drop_rare_labels(texts, labels, min_count: int):
    """Return (texts, labels, dropped) keeping only labels with at least ``min_count`` rows."""
    counts = Counter(labels)
    dropped = {lab: n for lab, n in sorted(counts.items()) if n < min_count}
    keep = [i for i, lab in enumerate(labels) if lab not in dropped]
    return [texts[i] for i in keep], [labels[i] for i in keep], dropped


def data_fingerprint(texts: Iterable[str], labels: Iterable[str]) -> str:
    """Return a SHA-256 over the (text, label) pairs, independent of file formatting."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels):
        # Unit/record separators cannot occur in CSV text, so pairs cannot collide.
        digest.update(text.encode("utf-8") + b"\x1f" + label.encode("utf-8") + b"\x1e")
    return digest.hexdigest()
