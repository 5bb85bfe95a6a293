"""A stand-in for another province's 7-category hotline set, built from the bundled data.

The target set has title and body, 7 categories, and some messages already cut into words
(``" ".join(jieba.cut(...))`` with stop words removed). The bundled ``msga_domain.csv`` carries the
same 7-category scheme in ``label_tc7``; this writes its labelled rows in that shape, a seeded
share of them pre-segmented.
"""

import csv
import random
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "msga_domain.csv"
SEGMENTED_SHARE = 0.4


def segmented(text: str, stop: frozenset[str]) -> str:
    """The text as a pre-segmented export has it: jieba words joined by spaces, stop words removed."""
    return " ".join(w for w in jieba.cut(text) if w.strip() and w not in stop)


def rows(seed: int = 0, share: float = SEGMENTED_SHARE) -> list[dict]:
    """The labelled rows (id, title, text, label, form), a seeded `share` of them pre-segmented."""
    from classifier.stopwords import stop_words

    stop = stop_words()
    rng = random.Random(seed)
    out = []
    with open(SOURCE, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["label_tc7"]:
                continue
            cut = rng.random() < share
            out.append({"id": row["id"], "title": row["title"], "label": row["label_tc7"],
                        "text": segmented(row["text"], stop) if cut else row["text"],
                        "raw": row["text"], "form": "segmented" if cut else "raw"})
    return out


def write(path: Path, selected: list[dict]) -> None:
    """Write rows as the CLI reads them (id, title, text, label)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "title", "text", "label"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(selected)
