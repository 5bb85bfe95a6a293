"""Spreadsheet cells that stay text: a value a spreadsheet would run as a formula gets a leading quote (OWASP)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text value that cannot start a formula; numbers and empty cells unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    """Each cell of a row made inert."""
    return [inert(value) for value in values]
