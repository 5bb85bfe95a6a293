"""What an import checks against and what it reports: the city as the package will leave it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .sheets import Problem, Row

# (username) → (the one-time password to print, or None when none is to be shown; the hash to store)
NewSecret = Callable[[str], tuple[str | None, str]]


@dataclass
class KindReport:
    """What an import did (or, in a dry run, would do) to one kind of row."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # units/categories/entries deactivated, rules/places removed
    unchanged: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.retired)


@dataclass
class Plan:
    """The package's rows by kind, the problems found, and the names other kinds may refer to."""

    present: dict[str, str] = field(default_factory=dict)  # kind → file label it was read from
    rows: dict[str, list[Row]] = field(default_factory=dict)
    records: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # What references resolve against: the file's rows when the file is there, else the database's.
    units: dict[str, str] = field(default_factory=dict)  # active unit code → kind
    categories: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)

    def problem(self, row: Row, key: str | None, message: str) -> None:
        """Record a problem at `row`, column `key`."""
        self.problems.append(row.problem(key, message))


def first_seen(plan: Plan, rows: list[Row], key_of: Callable[[Row], Any], column: str, what: str) -> list[Row]:
    """The rows whose key was not seen before; a repeated key is a problem naming the first row."""
    seen: dict[Any, int] = {}
    kept = []
    for row in rows:
        key = key_of(row)
        if key in seen:
            plan.problem(row, column, f"duplicate {what} {row[column]} (first on row {seen[key]})")
        else:
            seen[key] = row.number
            kept.append(row)
    return kept


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The fields that differ, as 'field: old → new'."""
    return [f"{name}: {old.get(name)!s} → {value!s}" for name, value in new.items() if old.get(name) != value]


def choice(plan: Plan, row: Row, key: str, values: dict[str, Any]) -> Any:
    """A value from a fixed list (English code or Chinese label); a problem naming the allowed ones otherwise."""
    if key not in row.headers:
        return None  # the missing column is reported once, not on every row
    text = row[key]
    found = values.get(text) or values.get(text.lower())
    if found is None:
        allowed = sorted({str(v) for v in values.values()})
        plan.problem(row, key, f"{text!r} is not one of {', '.join(allowed)}")
    return found
