"""Benchmark of the supervision cycle: a year of tickets with their events, then the jobs and reports, timed.

    python bench/cycle.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres --tickets 1000000
    python bench/cycle.py --database-url sqlite:////tmp/bench.sqlite3 --tickets 1000000

For PostgreSQL the URL names a maintenance database; the benchmark creates its own database next to it
(``hotline_bench``), and drops it at the end unless --keep. For SQLite the file is replaced.

The rows are generated in SQL (``generate_series`` on PostgreSQL, a recursive CTE on SQLite), one
INSERT … SELECT per table and action, never through the ORM. Deadlines and flag thresholds are
plausible approximations (sign-by = dispatch + 2 h, reply-by = dispatch + 7 days, …), not the
working calendar: the jobs' cost depends on the row counts and the indexes, not on the exact minutes.

Targets (issue 3): the monthly report over 1 M tickets in ≤ 5 s and the daily job in ≤ 10 s on PostgreSQL.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotline import create_app  # noqa: E402
from hotline.db import upgrade_schema  # noqa: E402
from hotline.services.cycle import assessment, jobs, periods, reports  # noqa: E402
from hotline.services.demo import seed_demo  # noqa: E402
from models import Ticket, TicketEvent  # noqa: E402

CST = ZoneInfo("Asia/Shanghai")
YEAR_START_UTC = "2025-12-31 16:00:00"  # 2026-01-01 00:00 in Asia/Shanghai
SPAN_SECONDS = 364 * 86400  # tickets are spread over 2026-01-01 … 2026-12-30
NOW = datetime(2026, 12, 31, 10, 0, tzinfo=CST)  # the daily job runs on the last morning of the year


class Dialect:
    """The few SQL fragments that differ between PostgreSQL and SQLite."""

    def __init__(self, name: str, start: str = YEAR_START_UTC) -> None:
        """Remember which database we write for, and the UTC instant the generated history starts at."""
        self.name = name
        self.start = start

    def series(self, n: int) -> str:
        """A relation g(i) of the integers 1 … n."""
        if self.name == "postgresql":
            return f"generate_series(1, {n}) AS g(i)"
        return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s) AS g"

    def ts(self, seconds: str) -> str:
        """The instant `seconds` after the start (2026-01-01 00:00 +08:00), stored the way UTCDateTime stores it."""
        if self.name == "postgresql":
            return f"(TIMESTAMPTZ '{self.start}+00' + ({seconds}) * INTERVAL '1 second')"
        return (f"(strftime('%Y-%m-%d %H:%M:%S', '{self.start}', '+' || CAST(({seconds}) AS INTEGER) "
                f"|| ' seconds') || '.000000')")

    def city_day(self, column: str) -> str:
        """The Asia/Shanghai day of a timestamp column."""
        if self.name == "postgresql":
            return f"CAST(timezone('Asia/Shanghai', {column}) AS DATE)"
        return f"date({column}, '+8 hours')"

    def plus(self, column: str, seconds: str) -> str:
        """A timestamp column plus some seconds."""
        if self.name == "postgresql":
            return f"({column} + ({seconds}) * INTERVAL '1 second')"
        return (f"(strftime('%Y-%m-%d %H:%M:%S', {column}, '+' || CAST(({seconds}) AS INTEGER) || ' seconds') "
                f"|| '.000000')")


def h(column: str, salt: int, modulo: int = 1000) -> str:
    """A deterministic pseudo-random integer in [0, modulo) from an integer column."""
    return f"((({column} * 2654435761 + {salt * 40503}) % 1000003) % {modulo})"


def generate(conn, dialect: Dialect, n: int, span: int = SPAN_SECONDS) -> None:
    """Insert n tickets over ``span`` seconds from the start (2026) and their events and work orders, in SQL."""
    d = dialect
    units = conn.execute(text("SELECT count(*) FROM departments WHERE kind <> 'centre'")).scalar()
    offset = f"(CAST(i AS BIGINT) * {span} / {n})"
    age = f"({span} - {offset})"  # seconds before the span's end: decides how far a ticket got
    late = f"CASE WHEN {h('i', 3)} < 150 THEN 1 ELSE 0 END"  # 15 % replied after the reply-by
    status = (f"CASE WHEN {h('i', 9)} < 3 THEN 'signed' "  # 0.3 % forgotten: open and long overdue
              f"WHEN {age} < 3 * 86400 THEN CASE WHEN {h('i', 4)} < 300 THEN 'dispatched' ELSE 'signed' END "
              f"WHEN {age} < 20 * 86400 AND {h('i', 5)} < 500 THEN 'replied' ELSE 'closed' END")
    conn.execute(text(f"""
        CREATE TEMPORARY TABLE bench_plan AS
        SELECT i, {offset} AS offset_s, {status} AS status, u.id AS department_id, o.id AS other_id,
               {h('i', 6)} AS r6, {h('i', 7)} AS r7, {h('i', 8)} AS r8, {late} AS late
        FROM {d.series(n)}
        JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM departments WHERE kind <> 'centre') u
          ON u.k = {h('i', 1, units)}
        JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM departments WHERE kind <> 'centre') o
          ON o.k = {h('i', 2, units)}
    """))
    dispatched = d.ts("offset_s + 300")
    signed = d.ts(f"offset_s + 300 + {h('i', 10, 3 * 3600)}")  # within 3 h: about a third late
    replied = d.ts(f"offset_s + 300 + CASE WHEN late = 1 THEN 8 * 86400 ELSE {h('i', 11, 6 * 86400)} END")
    appeal = ("CASE WHEN r6 < 450 THEN 'complaint' WHEN r6 < 650 THEN 'consultation' WHEN r6 < 850 THEN 'help' "
              "WHEN r6 < 950 THEN 'report' WHEN r6 < 990 THEN 'suggestion' ELSE 'praise' END")
    satisfaction = ("CASE WHEN r7 < 30 THEN NULL WHEN r7 < 700 THEN 'satisfied' WHEN r7 < 900 "
                    "THEN 'basically_satisfied' ELSE 'unsatisfied' END")
    has_reply = "status IN ('replied', 'closed')"
    conn.execute(text(f"""
        INSERT INTO tickets (id, number, status, channel, appeal_type, urgency, caller_name, caller_phone, address,
            district, title, content, routing_note, reply, resolved_on_call, return_count, reopen_count,
            extension_count, repeat_of_id, repeat_count, difficult, solved, satisfaction, callback_unreachable,
            department_id, dispatched_at, sign_by, reply_by, signed_at, replied_at, closed_at,
            sign_warn_at, sign_black_at, reply_warn_at, reply_black_at, callback_due_at, created_at)
        SELECT i, 'B' || CAST(i AS TEXT), status, 'phone', {appeal}, 'normal', '', '139' || CAST(10000000 + i AS TEXT),
            '', NULL, '', 'bench', '', '', FALSE,
            CASE WHEN r8 < 30 THEN 1 ELSE 0 END,
            CASE WHEN r8 >= 990 THEN 2 WHEN r8 >= 950 THEN 1 ELSE 0 END,
            0, CASE WHEN r8 BETWEEN 100 AND 119 AND i > 1000 THEN i - 1000 END, 0, FALSE,
            CASE WHEN status = 'closed' AND r7 >= 30 THEN r7 < 880 END,
            CASE WHEN status = 'closed' THEN {satisfaction} END,
            status = 'closed' AND r7 < 30,
            department_id, {dispatched}, {d.ts("offset_s + 300 + 7200")}, {d.ts("offset_s + 300 + 7 * 86400")},
            CASE WHEN status <> 'dispatched' THEN {signed} END,
            CASE WHEN {has_reply} THEN {replied} END,
            CASE WHEN status = 'closed' THEN {d.ts(f"offset_s + 300 + 9 * 86400")} END,
            {d.ts("offset_s + 300 + 5760")}, {d.ts("offset_s + 300 + 9 * 86400")},
            {d.ts("offset_s + 300 + 5 * 86400")}, {d.ts("offset_s + 300 + 16 * 86400")},
            CASE WHEN status = 'replied' THEN {d.ts("offset_s + 300 + 9 * 86400")} END,
            {d.ts("offset_s")}
        FROM bench_plan
    """))
    common = "INSERT INTO ticket_events (ticket_id, at, actor_id, action, from_status, to_status, department_id, note)"
    statements = [
        f"{common} SELECT id, created_at, NULL, 'created', NULL, 'pending_dispatch', NULL, '' FROM tickets",
        # 3 % were first routed to another unit, which returned them (退单).
        f"{common} SELECT t.id, {d.plus('t.created_at', '60')}, NULL, 'routed', 'pending_dispatch', 'dispatched', "
        f"p.other_id, '' FROM tickets t JOIN bench_plan p ON p.i = t.id WHERE t.return_count = 1",
        f"{common} SELECT t.id, {d.plus('t.created_at', '180')}, NULL, 'returned', 'dispatched', 'pending_dispatch', "
        f"p.other_id, '' FROM tickets t JOIN bench_plan p ON p.i = t.id WHERE t.return_count = 1",
        f"{common} SELECT id, dispatched_at, NULL, 'assigned', 'pending_dispatch', 'dispatched', department_id, '' "
        f"FROM tickets",
        f"{common} SELECT id, signed_at, NULL, 'signed', 'dispatched', 'signed', department_id, '' FROM tickets "
        f"WHERE signed_at IS NOT NULL",
        f"{common} SELECT id, replied_at, NULL, 'replied', 'signed', 'replied', department_id, '' FROM tickets "
        f"WHERE replied_at IS NOT NULL",
        f"{common} SELECT id, closed_at, NULL, 'closed', 'replied', 'closed', department_id, '' FROM tickets "
        f"WHERE closed_at IS NOT NULL",
        # The reached callback that closed each rated ticket: the reports' 满意率 counts these rows.
        "INSERT INTO callbacks (ticket_id, department_id, attempt, at, actor_id, reached, solved, satisfaction, "
        "comment) SELECT id, department_id, 1, closed_at, (SELECT min(id) FROM users), TRUE, solved, satisfaction, "
        "'' FROM tickets WHERE satisfaction IS NOT NULL",
    ]
    # The work orders the workflow would have kept (events without recorded deadlines: no earlier round judged).
    work = ("INSERT INTO work_orders (ticket_id, department_id, dispatched_at, day, returned, signed_round, "
            "signed_late, replied_round, replied_late)")
    statements += [
        f"{work} SELECT t.id, p.other_id, {d.plus('t.created_at', '60')}, {d.city_day(d.plus('t.created_at', '60'))}, "
        f"TRUE, FALSE, FALSE, FALSE, FALSE FROM tickets t JOIN bench_plan p ON p.i = t.id WHERE t.return_count = 1",
        f"{work} SELECT id, department_id, dispatched_at, {d.city_day('dispatched_at')}, FALSE, FALSE, FALSE, FALSE, "
        f"FALSE FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM work_orders w WHERE w.ticket_id = t.id "
        f"AND w.department_id = t.department_id)",
    ]
    for statement in statements:
        conn.execute(text(statement))
    if d.name == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets))"))
    conn.execute(text("DROP TABLE bench_plan"))


def fresh_database(url: str) -> str:
    """Create the benchmark's empty database and return its URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return url
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS hotline_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE hotline_bench"))
    admin.dispose()
    return parsed.set(database="hotline_bench").render_as_string(hide_password=False)


def drop_database(url: str, bench_url: str) -> None:
    """Remove the benchmark's database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS hotline_bench WITH (FORCE)"))
    admin.dispose()


def timed(label: str, results: dict, action: Callable[[], object]) -> object:
    """Run an action, print and record how long it took."""
    started = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - started
    results[label] = round(seconds, 3)
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return value


def main() -> None:
    """Generate, then time the daily job (cold and steady), the monthly report and the annual assessment."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = fresh_database(args.database_url)
    upgrade_schema(url)
    app = create_app({"DATABASE_URL": url, "MODEL_DIR": "/nonexistent", "LOG_LEVEL": "WARNING",
                      "SECRET_KEY": "bench-only"})  # nothing is signed in a benchmark
    engine = app.extensions["hotline.engine"]
    dialect = Dialect(engine.dialect.name)
    results: dict[str, float] = {}
    print(f"{engine.dialect.name}: {args.tickets:,} tickets over 2026", flush=True)
    with app.app_context():
        with app.extensions["hotline.sessionmaker"]() as session:
            seed_demo(session, "x")
            session.commit()
        with engine.begin() as conn:
            timed("generate tickets and events (SQL)", results, lambda: generate(conn, dialect, args.tickets))
        with engine.connect() as conn:
            if dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT")
                timed("VACUUM ANALYZE", results, lambda: conn.execute(text("VACUUM ANALYZE")))
            else:
                timed("ANALYZE", results, lambda: conn.execute(text("ANALYZE")))
        make = app.extensions["hotline.sessionmaker"]
        with make() as session:
            counts = {"tickets": session.scalar(select(func.count()).select_from(Ticket)),
                      "events": session.scalar(select(func.count()).select_from(TicketEvent))}
        print(f"  rows: {counts}", flush=True)

        from hotline.services.policy import load_policy

        def job(name: str, label: str, now: datetime):
            """Run one cycle job in its own transaction, as the CLI does."""
            with make() as session:
                policy = load_policy(session, app.config)
                outcome = jobs.run(session, name, jobs.period_for(name, label, policy, now), policy, now)
                session.commit()
                return outcome

        daily = timed("daily job, first run (no stored flag yet)", results,
                      lambda: job("daily", "2026-12-31", NOW))
        print(f"    {json.dumps(daily.result, ensure_ascii=False)}")
        next_day = datetime(2027, 1, 4, 9, tzinfo=CST)
        daily = timed("daily job, next working day (steady state)", results,
                      lambda: job("daily", "2027-01-04", next_day))
        print(f"    {json.dumps(daily.result, ensure_ascii=False)}")

        def monthly():
            """The live monthly report of November 2026."""
            with make() as session:
                policy = load_policy(session, app.config)
                period = periods.parse("monthly", "2026-11", policy.tz)
                return reports.compute(session, period, NOW, policy.cycle_rules.assessment_weights)

        report = timed("monthly report 2026-11 (live)", results, monthly)
        print(f"    city: assigned {report['city']['assigned']}, rates {report['city']['rates']}")
        timed("monthly job 2026-11 (compute + publish)", results, lambda: job("monthly", "2026-11", NOW))
        timed("quarterly job 2026Q4 (open cases)", results,
              lambda: job("quarterly", "2026Q4", datetime(2027, 1, 6, 8, tzinfo=CST)))

        def annual():
            """The live assessment of 2026."""
            with make() as session:
                policy = load_policy(session, app.config)
                return assessment.compute(session, periods.parse("annual", "2026", policy.tz), policy, NOW)

        body = timed("annual assessment 2026 (live)", results, annual)
        top = [(line["department"]["code"], line["score"]) for line in body["departments"][:3]]
        print(f"    top three: {top}")
    engine.dispose()
    print(json.dumps({"database": dialect.name, **counts, "seconds": results}, ensure_ascii=False))
    if not args.keep:
        drop_database(args.database_url, url)


if __name__ == "__main__":
    main()
