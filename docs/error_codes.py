"""Write the error-code table of docs/architecture.md from the code registry and the Chinese table.

    python docs/error_codes.py          # rewrites the table between its markers

tests/test_docs.py fails when the table in the document and the registry differ.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE / "architecture.md"
START, END = "<!-- error-codes:start -->", "<!-- error-codes:end -->"


def _cell(text: str) -> str:
    """A message as a table cell: its placeholders as code, no pipe breaking the row."""
    return text.replace("|", "\\|").replace("{", "`{").replace("}", "}`")


def table() -> str:
    """The Markdown table: code, HTTP status, who raises it, English, Chinese; one row per code."""
    sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout
    from hotline.services.errors import registry
    from hotline.web.messages import ZH

    rows = ["| code | HTTP | raised as | English (API) | 中文 (pages) |", "|---|---|---|---|---|"]
    for entry in registry().values():
        status = str(entry.status) if entry.status else "its own"
        rows.append(f"| `{entry.code}` | {status} | {entry.kind} | {_cell(entry.english)} | {_cell(ZH[entry.code])} |")
    return "\n".join(rows)


def rewritten(document: str) -> str:
    """The document with the current table between the markers."""
    head, rest = document.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    DOCUMENT.write_text(rewritten(DOCUMENT.read_text(encoding="utf-8")), encoding="utf-8")
