"""`flask --app wsgi hotline import DIR [--dry-run]`, `hotline export DIR` (a city's own package) and
`hotline calendar-year YEAR FILE` (a year's holiday schedule)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from . import clock
from .auth import hash_password, one_time_password
from .cli import hotline_cli
from .services.citypkg import ImportReport, PackageInvalid, export_package, import_package

SHOWN_PER_KIND = 10  # changes listed one by one per kind; the rest are counted


def _session():
    """A session outside any request."""
    return current_app.extensions["hotline.sessionmaker"]()


def new_password(_username: str) -> tuple[str, str]:
    """A random initial password, returned once in clear (to print) and as the hash to store."""
    password = one_time_password()
    return password, hash_password(password)


def report_lines(report: ImportReport, dry_run: bool = False) -> list[str]:
    """The report as the import prints it: per kind what was added, changed and retired."""
    verbs = {"added": "would add" if dry_run else "added", "changed": "would change" if dry_run else "changed",
             "retired": "would retire" if dry_run else "retired"}
    lines = ["read " + ", ".join(f"{kind} ← {label}" for kind, label in report.files.items())]
    for kind, kind_report in report.kinds.items():
        counts = [f"{len(getattr(kind_report, key))} {verbs[key]}" for key in verbs if getattr(kind_report, key)]
        lines.append(f"{kind}: " + ", ".join(counts + [f"{kind_report.unchanged} unchanged"]))
        for key in verbs:
            items = getattr(kind_report, key)
            lines += [f"  {verbs[key]} {item}" for item in items[:SHOWN_PER_KIND]]
            if len(items) > SHOWN_PER_KIND:
                lines.append(f"  … and {len(items) - SHOWN_PER_KIND} more {verbs[key]}")
    if not report.changed:
        lines.append("nothing to change: the database already holds this package")
    return lines


@hotline_cli.command("import")
@click.argument("package", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every file and print what would change; write nothing.")
def import_city(package: Path, dry_run: bool) -> None:
    """Load a city package (a folder of CSV/XLSX files, or one workbook): units, categories, rules, places,
    knowledge base and users. Nothing is written unless every row of every file is valid."""
    # A dry run hashes nothing: the passwords it would make are never shown or stored.
    secret = (lambda _username: (None, "")) if dry_run else new_password
    with _session() as session:
        try:
            report = import_package(session, package, clock.now(), secret)
        except PackageInvalid as error:
            session.rollback()
            for problem in error.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(error.message) from None
        if dry_run:
            session.rollback()
        else:
            session.commit()
    for line in report_lines(report, dry_run):
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing was written")
    elif report.passwords:
        click.echo("initial passwords of the new users (shown this once, stored only as hashes; hand each to "
                   "its user):")
        for username, password in report.passwords:
            click.echo(f"  {username}  {password}")


@hotline_cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
def export_city(folder: Path, file_format: str) -> None:
    """Write the city's package from the database (the files `import` reads; no passwords)."""
    with _session() as session:
        written = export_package(session, folder, file_format)
    click.echo(f"wrote {len(written)} files to {folder}: " + ", ".join(p.name for p in written))



@hotline_cli.command("calendar-year")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.argument("schedule", type=click.File(encoding="utf-8-sig"))
def calendar_year(year: int, schedule) -> None:
    """Enter YEAR's whole holiday schedule from a file (one line per day or range: 2027-10-01~2027-10-07 休 国庆节,
    2027-09-26 班 国庆调休); replaces that year's overrides and marks the year entered."""
    from .services.cycle import holidays
    from .services.errors import InvalidInput

    with _session() as session:
        try:
            entered = holidays.enter_year(session, year, holidays.parse_schedule(year, schedule.read()), None,
                                          clock.now())
        except InvalidInput as error:
            raise click.ClickException(f"{schedule.name}: {error.message}") from None
        session.commit()
        click.echo(f"{year}: schedule entered ({entered.note})")
