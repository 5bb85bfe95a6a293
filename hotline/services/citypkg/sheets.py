"""Reading and writing one kind of a city package: a UTF-8 CSV file or an XLSX sheet, Chinese or English headers."""
from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Column:
    """One column of a file: its English key, its Chinese header, and what a value must be."""

    key: str
    header: str
    required: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the package, located as a spreadsheet user finds it."""

    file: str
    row: int | None  # spreadsheet row: the header is row 1; None for the file as a whole
    column: str | None  # the header as written in the file
    message: str

    def __str__(self) -> str:
        where = [self.file] + ([f"row {self.row}"] if self.row else []) + ([f"column {self.column}"]
                                                                             if self.column else [])
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class Row:
    """One data row with its values by key and where it came from."""

    file: str
    number: int
    values: dict[str, str]
    headers: dict[str, str]  # key → header as written, for messages

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    def problem(self, key: str | None, message: str) -> Problem:
        """A problem located at this row (and the column of `key`)."""
        return Problem(self.file, self.number, self.headers.get(key, key) if key else None, message)


@dataclass
class Table:
    """A file's header and data rows as text, before the columns are known."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _cell(value: object) -> str:
    """A spreadsheet cell as text (an integral number without its .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(path: Path, label: str | None = None) -> Table:
    """A UTF-8 CSV file (with or without the BOM Excel writes)."""
    label = label or path.name
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except UnicodeDecodeError as error:
        raise UnicodeError(f"{label}: not UTF-8 text (byte {error.start}); save it as “CSV UTF-8”") from None
    return _table(label, lines)


def read_sheet(worksheet, label: str) -> Table:
    """An openpyxl worksheet."""
    return _table(label, [[_cell(v) for v in row] for row in worksheet.iter_rows(values_only=True)])


def _table(label: str, lines: list[Sequence[str]]) -> Table:
    """Header and non-empty rows, numbered as the spreadsheet numbers them."""
    lines = [[cell.strip() for cell in line] for line in lines]
    if not lines:
        return Table(label, [])
    table = Table(label, [h for h in lines[0]])
    while table.header and not table.header[-1]:
        table.header.pop()
    for number, line in enumerate(lines[1:], start=2):
        if any(line):
            table.rows.append((number, list(line)))
    return table


def bind(table: Table, columns: Sequence[Column], problems: list[Problem]) -> list[Row]:
    """Rows by key, accepting each column's Chinese header or English key; problems for bad headers and values."""
    by_name = {c.header: c for c in columns} | {c.key.lower(): c for c in columns}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, name in enumerate(table.header):
        column = by_name.get(name) or by_name.get(name.lower())
        if column is None:
            expected = ", ".join(f"{c.header} ({c.key})" for c in columns)
            problems.append(Problem(table.file, 1, name or f"#{index + 1}", f"unknown column; expected {expected}"))
        elif column.key in positions:
            problems.append(Problem(table.file, 1, name, f"column {column.header} ({column.key}) appears twice"))
        else:
            positions[column.key], headers[column.key] = index, name
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(Problem(table.file, 1, column.header, f"required column {column.header} ({column.key}) "
                                                                  "is missing"))
    rows = []
    for number, line in table.rows:
        values = {key: line[i] if i < len(line) else "" for key, i in positions.items()}
        row = Row(table.file, number, values, headers)
        for column in columns:
            value = values.get(column.key, "")
            if column.required and column.key in positions and not value:
                problems.append(row.problem(column.key, "must not be empty"))
            elif column.max_length and len(value) > column.max_length:
                problems.append(row.problem(column.key, f"at most {column.max_length} characters, got {len(value)}"))
        rows.append(row)
    return rows


def write_csv(path: Path, columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> None:
    """A UTF-8 CSV with Chinese headers; the BOM lets Excel open it as UTF-8."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in columns])
        writer.writerows(rows)


def write_xlsx(path: Path, columns: Sequence[Column], rows: Iterable[Sequence[str]], title: str) -> None:
    """An XLSX workbook of one sheet with Chinese headers."""
    from openpyxl import Workbook  # only exports need it

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
