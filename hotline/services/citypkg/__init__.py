"""A city package: the files an office keeps its units, catalogue, rules, places, knowledge base and users in.

One UTF-8 CSV file or XLSX sheet per kind, Chinese headers or their English keys (see the kind modules).
An import checks every row of every file first and writes nothing unless all are valid; then it
upserts by code, deactivates the units, categories and entries a file leaves out, and reports what
changed. A kind whose file is absent is left as it is. Like every service it flushes, never commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import InvalidInput
from . import categories, gazetteer, knowledge, rules, units, users
from .plan import KindReport, NewSecret, Plan
from .sheets import Problem, Table, bind, read_csv, read_sheet, write_csv, write_xlsx

# In the order they are checked and written: each refers only to kinds before it.
KINDS = {"units": units, "categories": categories, "gazetteer": gazetteer, "rules": rules,
         "knowledge": knowledge, "users": users}


class PackageInvalid(InvalidInput):
    """The package has problems; none of it was written."""

    messages = {"package_invalid": "{count} problem(s) in the city package; nothing was imported"}

    problems: list[Problem]


@dataclass
class ImportReport:
    """What an import did (or would do) per kind, and the one-time passwords of new users."""

    files: dict[str, str]
    kinds: dict[str, KindReport] = field(default_factory=dict)
    passwords: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything was (or would be) written."""
        return any(self.kinds.values())


def _kind_of(stem: str) -> str | None:
    """The kind a file or sheet name stands for (English or Chinese), if any."""
    for kind, module in KINDS.items():
        if stem.strip().lower() in module.NAMES:
            return kind
    return None


def read_package(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    """The tables of a package: a folder of <kind>.csv / <kind>.xlsx files, or one workbook with a sheet per kind."""
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        for label, table in _workbook(path, problems, per_sheet=True):
            tables[label] = table
    elif path.is_dir():
        for file in sorted(path.iterdir()):
            kind = _kind_of(file.stem)
            if kind is None or file.suffix.lower() not in (".csv", ".xlsx"):
                continue
            if kind in tables:
                problems.append(Problem(file.name, None, None, f"a second {kind} file (first: {tables[kind].file})"))
                continue
            if file.suffix.lower() == ".csv":
                try:
                    tables[kind] = read_csv(file)
                except UnicodeError as error:
                    problems.append(Problem(file.name, None, None, str(error).split(": ", 1)[1]))
            else:
                for _, table in _workbook(file, problems, per_sheet=False):
                    tables[kind] = table
    else:
        problems.append(Problem(str(path), None, None, "no such folder or .xlsx workbook"))
    if not tables and not problems:
        names = ", ".join(f"{m.NAMES[0]}.csv" for m in KINDS.values())
        problems.append(Problem(str(path), None, None, f"no package files found (expected some of {names})"))
    return tables, problems


def _workbook(path: Path, problems: list[Problem], per_sheet: bool):
    """Yield (kind, table) for a workbook's sheets: each named by its kind, or just the first sheet."""
    from openpyxl import load_workbook  # imports of CSV packages never need it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not a workbook
        problems.append(Problem(path.name, None, None, f"not a readable XLSX workbook ({type(error).__name__})"))
        return
    try:
        sheets = book.worksheets if per_sheet else book.worksheets[:1]
        for sheet in sheets:
            kind = _kind_of(sheet.title) if per_sheet else _kind_of(path.stem)
            if kind is not None:
                yield kind, read_sheet(sheet, f"{path.name} [{sheet.title}]")
    finally:
        book.close()


def check_package(session: Session, tables: dict[str, Table], problems: list[Problem] | None = None) -> Plan:
    """Check every row of every table against the others and the database; raise PackageInvalid listing all."""
    plan = Plan(problems=list(problems or []))
    for kind, table in tables.items():
        plan.present[kind] = table.file
        plan.rows[kind] = bind(table, KINDS[kind].COLUMNS, plan.problems)
    for kind, module in KINDS.items():
        (module.check if kind in tables else module.from_database)(session, plan)
    if plan.problems:
        error = PackageInvalid("package_invalid", count=len(plan.problems))
        error.problems = plan.problems
        raise error
    return plan


def import_package(session: Session, path: Path, now: datetime, new_secret: NewSecret) -> ImportReport:
    """Check the package at `path`, then write it; nothing is written (flushed) unless every row is valid."""
    tables, problems = read_package(path)
    plan = check_package(session, tables, problems)
    report = ImportReport(files={kind: plan.present[kind] for kind in KINDS if kind in plan.present})
    for kind, module in KINDS.items():
        if kind not in plan.present:
            continue
        report.kinds[kind] = kind_report = KindReport()
        if kind == "knowledge":
            module.apply(session, plan, kind_report, now)
        elif kind == "users":
            module.apply(session, plan, kind_report, new_secret, report.passwords)
        else:
            module.apply(session, plan, kind_report)
    return report


def export_package(session: Session, folder: Path, file_format: str = "csv") -> list[Path]:
    """Write every kind from the database into `folder`, as the import reads it; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, module in KINDS.items():
        target = folder / f"{kind}.{file_format}"
        if file_format == "xlsx":
            write_xlsx(target, module.COLUMNS, module.export(session), title=kind)
        else:
            write_csv(target, module.COLUMNS, module.export(session))
        written.append(target)
    return written
