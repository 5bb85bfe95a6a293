"""Benchmark of the search box at a million tickets on PostgreSQL: each kind of query, p50 and p95.

    python bench/search.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres --tickets 1000000

The URL names a maintenance database; the benchmark makes its own (``hotline_bench_search``) next to it
and drops it at the end unless --keep. The tickets are generated in SQL (one INSERT … SELECT over
``generate_series``) across 2026: three words of a 58-word vocabulary each (so one word is in about 5 %
of the tickets), 300,000 callers' phones, 1,000 names. Their
``search_terms`` are what intake stores for such a content (the words are separated by punctuation, so
jieba cuts exactly them; checked at start). The word index is dropped during the load and built after it.

Each figure runs the search service's query and one page of it as the page and the API do
(hotline.services.paging.page_of: 20 rows, a count capped at 1,000 (10,000 for digits), and under the cap the matches
sorted rather than read in order), SAMPLES times with different values, alternating the kinds so a
noisy neighbour hits them alike. Target: p95 ≤ 200 ms for every kind. ``--keep`` then ``--existing``
times the same database again without generating it.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cycle import NOW, SPAN_SECONDS, Dialect, h  # noqa: E402
from classifier import index_terms  # noqa: E402
from hotline import create_app  # noqa: E402
from hotline.db import upgrade_schema  # noqa: E402
from hotline.services import search  # noqa: E402
from hotline.services.demo import seed_demo  # noqa: E402
from hotline.services.paging import page_of  # noqa: E402
from hotline.services.policy import load_policy  # noqa: E402
from models import Role, Ticket, TicketStatus, User  # noqa: E402
from models.search_index import PG_INDEX, postgresql_sql  # noqa: E402

WORDS = ("噪音 扰民 施工 路灯 井盖 垃圾 污水 停水 停电 供暖 物业 拖欠 工资 违章 停车 经营 油烟 漏水 维修 绿化 树木 "
         "公交 站台 学校 医院 医保 社保 户口 办理 投诉 小区 电梯 消防 通道 堵塞 积水 道路 破损 噪声 装修 宠物 燃气 "
         "网络 信号 房屋 租赁 押金 退款 快递 外卖 食品 安全 价格 收费 停业 补贴 残疾 低保").split()
SURNAMES, GIVEN = "张王李赵刘陈杨黄周吴", [chr(0x4E00 + 300 + k) + chr(0x4E00 + 700 + k) for k in range(100)]
PHONES = 300_000
SAMPLES = 40
PER_PAGE = 20
TARGET = ("p95 ≤ 200 ms", lambda p95: p95 <= 0.200)


def fresh_database(url: str) -> str:
    """The benchmark's empty database (any earlier one dropped); returns its URL."""
    parsed = make_url(url)
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS hotline_bench_search WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE hotline_bench_search"))
    admin.dispose()
    return parsed.set(database="hotline_bench_search").render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Remove the benchmark's database."""
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS hotline_bench_search WITH (FORCE)"))
    admin.dispose()


def generate(conn, n: int) -> None:
    """Insert n tickets over 2026 in one statement, then build the word index."""
    for word in WORDS:  # the premise of the generated search_terms
        assert index_terms(word) == [word], word
    d = Dialect("postgresql")
    words = "ARRAY[" + ", ".join(f"'{w}'" for w in WORDS) + "]"
    w = [f"({words})[1 + {h('i', salt, len(WORDS))}]" for salt in (21, 22, 23)]
    names = "ARRAY[" + ", ".join(f"'{s}{g}'" for s in SURNAMES for g in GIVEN) + "]"
    offset = f"(CAST(i AS BIGINT) * {SPAN_SECONDS} / {n})"
    created = d.ts(offset)
    phone = f"('13' || CAST(100000000 + (CAST(i AS BIGINT) * 7919) % {PHONES} * 331 AS TEXT))"
    status = (f"CASE WHEN {h('i', 24)} < 800 THEN 'closed' WHEN {h('i', 24)} < 850 THEN 'replied' "
              f"WHEN {h('i', 24)} < 950 THEN 'signed' ELSE 'dispatched' END")
    channel = f"CASE WHEN {h('i', 25)} < 850 THEN 'phone' WHEN {h('i', 25)} < 950 THEN 'web' ELSE 'wechat' END"
    conn.execute(text(f"DROP INDEX {PG_INDEX}"))  # built again after the load, faster than row by row
    conn.execute(text(f"""
        CREATE TEMPORARY TABLE units AS
        SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM departments WHERE kind <> 'centre'
    """))
    units = conn.execute(text("SELECT count(*) FROM units")).scalar()
    conn.execute(text(f"""
        INSERT INTO tickets (id, number, status, channel, appeal_type, urgency, caller_name, caller_phone,
            phone_reversed, address, district, title, content, search_terms, routing_note, reply, resolved_on_call,
            return_count, reopen_count, extension_count, repeat_count, difficult, callback_unreachable,
            department_id, dispatched_at, sign_by, reply_by, created_at)
        SELECT i, to_char(timezone('Asia/Shanghai', {created}), 'YYYYMMDD') || lpad(CAST(i % 100000 AS TEXT), 5, '0'),
            {status}, {channel}, 'complaint', 'normal', ({names})[1 + {h('i', 26, len(SURNAMES) * len(GIVEN))}],
            {phone}, reverse({phone}), '', NULL, {w[0]} || {w[1]},
            {w[0]} || '，' || {w[1]} || '，' || {w[2]} || '，请尽快处理。',
            {w[0]} || ' ' || {w[1]} || ' ' || {w[2]} || ' 请 尽快 处理', '', '', FALSE, 0, 0, 0, 0, FALSE, FALSE,
            u.id, {d.plus(created, '300')}, {d.plus(created, '7500')}, {d.plus(created, '605100')}, {created}
        FROM generate_series(1, {n}) AS g(i) JOIN units u ON u.k = {h('i', 27, units)}
    """))
    conn.execute(text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets))"))
    for statement in postgresql_sql()[1:]:  # the generated column is there; its index again
        conn.execute(text(statement))


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def main() -> None:
    """Generate, then time each kind of search; print the figures next to the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--existing", action="store_true", help="time the database an earlier --keep run left")
    args = parser.parse_args()
    if make_url(args.database_url).get_backend_name() != "postgresql":
        raise SystemExit("this benchmark is for PostgreSQL (the SQLite word index is FTS5, tested in the suite)")

    url = (make_url(args.database_url).set(database="hotline_bench_search").render_as_string(hide_password=False)
           if args.existing else fresh_database(args.database_url))
    if not args.existing:
        upgrade_schema(url)
    app = create_app({"DATABASE_URL": url, "MODEL_DIR": "/nonexistent", "LOG_LEVEL": "WARNING",
                      "SECRET_KEY": "bench-only"})
    engine, make = app.extensions["hotline.engine"], app.extensions["hotline.sessionmaker"]
    with app.app_context():
        if not args.existing:
            with make() as session:
                seed_demo(session, "x")
                session.commit()
            started = time.perf_counter()
            with engine.begin() as conn:
                generate(conn, args.tickets)
            with engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE tickets"))
            print(f"postgresql: {args.tickets:,} tickets generated and indexed in {time.perf_counter() - started:.0f} s",
                  flush=True)

        with make() as session:
            policy = load_policy(session, app.config)
            staff = session.scalar(select(User).where(User.role == Role.OPERATOR))
            unit = session.scalar(select(User).where(User.role == Role.DEPARTMENT, User.department_id.is_not(None)))
            sample = list(session.execute(select(Ticket.number, Ticket.caller_phone, Ticket.caller_name, Ticket.search_terms)
                                          .order_by(func.random()).limit(SAMPLES)))
            tz = policy.tz
            november = search.Period(date(2026, 11, 1), date(2026, 11, 30), tz)
            word = lambda k: WORDS[k % len(WORDS)]  # noqa: E731
            # name → k → (who searches, the search's filters, which page)
            kinds: dict[str, Callable[[int], tuple]] = {
                "one word (≈5 % of tickets)": lambda k: (staff, {"q": word(k)}, 1),
                "two words of one ticket": lambda k: (staff, {"q": " ".join(sample[k].search_terms.split()[:2])}, 1),
                "word, open, in November": lambda k: (staff, {
                    "q": word(k), "statuses": [TicketStatus.SIGNED, TicketStatus.DISPATCHED], "period": november}, 1),
                "word, one unit, flag red": lambda k: (staff, {
                    "q": word(k), "department_code": unit.department.code, "flag": "red", "now": NOW,
                    "rules": policy.cycle_rules}, 1),
                "a unit's own search, one word": lambda k: (unit, {"q": word(k)}, 1),
                "number's day prefix (≈2,700)": lambda k: (staff, {"q": sample[k].number[:8]}, 1),
                "whole number": lambda k: (staff, {"q": sample[k].number}, 1),
                "phone's last 4 digits": lambda k: (staff, {"q": sample[k].caller_phone[-4:]}, 1),
                "whole phone": lambda k: (staff, {"q": sample[k].caller_phone}, 1),
                "caller name": lambda k: (staff, {"q": sample[k].caller_name}, 1),
                f"one word, page {search.MAX_PAGE} (the deepest)": lambda k: (staff, {"q": word(k)}, search.MAX_PAGE),
                "a word in no ticket": lambda k: (staff, {"q": f"无此词{k}"}, 1),
                "no filter (the newest)": lambda k: (staff, {}, 1),
            }

            def run(build: Callable[[int], tuple], k: int):
                """One page of the k-th search of a kind, as the page and the API run it."""
                user, filters, page = build(k)
                return page_of(session, search.search_tickets(user, **filters), page, PER_PAGE,
                               cap=search.count_cap(filters.get("q")), few_order=search.SORTED_NEWEST_FIRST)

            timings: dict[str, list[float]] = {name: [] for name in kinds}
            totals: dict[str, list[int]] = {name: [] for name in kinds}
            for build in kinds.values():  # warm the cache once per kind
                run(build, 0)
            for k in range(SAMPLES):
                for name, build in kinds.items():
                    started = time.perf_counter()
                    rows = run(build, k)
                    timings[name].append(time.perf_counter() - started)
                    totals[name].append(rows.total)
        print(f"  {'search (20 rows; count to 1,000, digits 10,000)':<46} {'p50':>8} {'p95':>8} {'rows':>8}  target",
              flush=True)
        figures = {}
        for name, values in timings.items():
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            ok = "ok" if TARGET[1](p95) else "MISSED"
            rows = statistics.median(totals[name])
            print(f"  {name:<46} {p50 * 1000:6.1f}ms {p95 * 1000:6.1f}ms {rows:8.0f}  {TARGET[0]} {ok}")
            figures[name] = {"p50_ms": round(p50 * 1000, 1), "p95_ms": round(p95 * 1000, 1), "rows": rows}
    engine.dispose()
    print(json.dumps({"database": "postgresql", "tickets": args.tickets, "figures": figures}, ensure_ascii=False))
    if not args.keep:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
