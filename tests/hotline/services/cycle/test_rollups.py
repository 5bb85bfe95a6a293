"""The rollup path (report_rollups + open work orders) gives exactly the figures recounted from the events.

A generated month and its edges: a few hundred tickets walked through the workflow with a seeded
random history (returns to another unit and back, extensions, reopens, unreachable callbacks,
repeats, difficult flags, supervision cases opened after their tickets were rolled up), compared
unit by unit and count by count with :func:`reports.recount` at several instants and periods.
"""
import importlib.util
import random
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from hotline.db import MIGRATIONS_DIR
from hotline.services import workflow
from hotline.services.cycle import daily, periods, reports, rollups, supervision
from hotline.services.policy import load_policy
from models import AppealType, ReportRollup, Satisfaction, TicketStatus, User, WorkOrder
from tests.builders import at, department, make_ticket


UNITS = ("zjj", "jtj", "cgj")


class Month:
    """Walks generated tickets through the workflow, each on its own clock."""

    def __init__(self, app, session, seed: int) -> None:
        """Users, units and the policy of the demo city; a seeded random source."""
        self.session = session
        self.random = random.Random(seed)
        self.policy = load_policy(session, app.config)
        self.users = {u.username: u for u in session.scalars(select(User))}
        self.units = {code: department(session, code) for code in UNITS}
        self.tickets = []

    def ticket(self, start) -> None:
        """One ticket's whole history from ``start``, chosen at random."""
        r, s, p, u = self.random, self.session, self.policy, self.users
        now = start
        ticket = make_ticket(s, now, appeal_type=r.choice([AppealType.COMPLAINT, AppealType.CONSULTATION]))
        workflow.receive(s, ticket, u["operator"], now)
        self.tickets.append(ticket)
        if self.tickets and r.random() < 0.08 and len(self.tickets) > 1:
            ticket.repeat_of = r.choice(self.tickets[:-1])
        if r.random() < 0.08:
            return  # left for the dispatcher
        units = r.sample(UNITS, 2)
        plan = [units[0]] + ([units[1]] if r.random() < 0.2 else []) + ([units[0]] if r.random() < 0.3 else [])

        def later(low: float, high: float) -> None:
            nonlocal now
            now += timedelta(minutes=r.uniform(low, high))

        for i, code in enumerate(plan):
            later(1, 30)
            workflow.dispatch(s, ticket, self.units[code], None, p, now, actor=u["dispatcher"])
            if i < len(plan) - 1 or (i == 0 and r.random() < 0.1):
                later(1, 20)
                if i < len(plan) - 1 and now < ticket.sign_by:
                    workflow.return_ticket(s, ticket, "不属于本单位职责", u[code], p, now)
                    continue
                if i < len(plan) - 1:
                    plan = plan[: i + 1]
                break
        code = next(c for c, d in self.units.items() if d.id == ticket.department_id) if ticket.department_id else None
        if code is None:
            return
        for _round in range(3):
            if r.random() < 0.1:
                return  # never signed
            later(10, 400)
            workflow.sign(s, ticket, u[code], now)
            if _round == 0 and r.random() < 0.2:  # one request per unit
                later(30, 600)
                workflow.request_extension(s, ticket, "需协调", r.randint(1, 5), u[code], p, now)
                if r.random() < 0.8:
                    later(30, 600)
                    workflow.decide_extension(s, ticket, r.random() < 0.7, u["supervisor"], p, now)
            if r.random() < 0.1:
                return  # signed, not replied
            later(60, 60 * 24 * 9)
            workflow.reply(s, ticket, "已处理。", u[code], now, policy=p)
            if r.random() < 0.15:
                return  # awaiting its callback
            if not ticket.difficult and r.random() < 0.05:
                workflow.flag_difficult(s, ticket, "多部门", u["supervisor"], now + timedelta(minutes=1))
            later(60, 60 * 24 * 2)
            if r.random() < 0.1:
                for _ in range(p.max_callback_attempts):
                    later(120, 240)  # unreached attempts at least CALLBACK_RETRY_HOURS apart
                    workflow.record_callback(s, ticket, u["supervisor"], p, now, reached=False)
                return
            unhappy = r.random() < 0.3
            workflow.record_callback(
                s, ticket, u["supervisor"], p, now, reached=True, solved=not unhappy or r.random() < 0.5,
                satisfaction=Satisfaction.UNSATISFIED if unhappy else r.choice(
                    [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]))
            if ticket.status == TicketStatus.CLOSED:
                return


def assert_same(month, as_of, labels=(("monthly", "2026-10"), ("monthly", "2026-11"), ("monthly", "2026-12"),
                                         ("annual", "2026"))) -> None:
    """The served counts equal the recounted ones, for every unit, in every period, at ``as_of``."""
    session, tz = month.session, month.policy.tz
    for kind, label in labels:
        period = periods.parse(kind, label, tz)
        served, recounted = reports.count_rows(session, period, as_of), reports.recount(session, period, as_of)
        assert served == recounted, (label, as_of)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_rollups_and_a_recount_agree_over_a_generated_month(app, session, seed):
    month = Month(app, session, seed)
    start = at(2026, 10, 28, 0)
    for _ in range(260):
        month.ticket(start + timedelta(minutes=month.random.uniform(0, 60 * 24 * 36)))
    session.flush()

    before = at(2026, 11, 20, 12)
    assert_same(month, before)  # nothing rolled up: every work order counted one by one
    assert rollups.roll_up(session, at(2026, 12, 2, 8)) > 0
    settled = session.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.rolled_up_at.is_not(None)))
    live = session.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.rolled_up_at.is_(None)))
    assert settled > 50 and live > 20  # both paths carry weight
    for as_of in (before, at(2026, 12, 1, 10), at(2026, 12, 20, 10), at(2027, 3, 1, 10)):
        assert_same(month, as_of)

    # Supervision cases on tickets already rolled up: their flag turns black once a case misses its deadline.
    quarter = periods.parse("quarterly", "2026Q4", month.policy.tz)
    cases = supervision.open_cases(session, quarter, month.policy, at(2026, 12, 3, 9))
    session.flush()
    assert any(case.ticket.status == TicketStatus.CLOSED for case in cases)
    for as_of in (at(2026, 12, 3, 10), at(2027, 3, 1, 10)):
        assert_same(month, as_of)

    rollups.roll_up(session, at(2027, 1, 6, 8))  # nothing new is closed: nothing counted twice
    assert_same(month, at(2027, 3, 1, 10))
    rows = session.scalar(select(func.sum(ReportRollup.assigned)))
    rollups.rebuild(session, at(2027, 1, 6, 8))
    assert session.scalar(select(func.sum(ReportRollup.assigned))) == rows
    assert_same(month, at(2027, 3, 1, 10))


def test_the_daily_job_rolls_up_closed_work(app, session):
    month = Month(app, session, 3)
    for i in range(40):
        month.ticket(at(2026, 11, 2, 9) + timedelta(hours=7 * i))
    session.flush()
    now = at(2026, 12, 1, 9)
    result = daily.run(session, month.policy, now)
    assert result["rollup_rows"] > 0
    counted = session.scalar(select(func.sum(ReportRollup.assigned)))
    closed = session.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.rolled_up_at == now))
    assert counted == closed > 0
    assert daily.run(session, month.policy, now + timedelta(days=1))["rollup_rows"] == 0
    assert_same(month, now, (("monthly", "2026-11"),))


def test_the_migration_rebuilds_the_work_orders_the_workflow_keeps(app, session):
    """Migration 0010 fills work_orders from the events already written: the same rows the workflow writes."""
    month = Month(app, session, 4)
    for _ in range(120):
        month.ticket(at(2026, 11, 1) + timedelta(minutes=month.random.uniform(0, 60 * 24 * 30)))
    session.flush()
    columns = [getattr(WorkOrder, c) for c in ("ticket_id", "department_id", "dispatched_at", "day", "returned",
                                                "signed_round", "signed_late", "replied_round", "replied_late")]
    kept = session.execute(select(*columns).order_by(*columns[:2])).all()
    session.execute(delete(WorkOrder))
    spec = importlib.util.spec_from_file_location("m0010", MIGRATIONS_DIR / "versions" / "0010_partitions.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.backfill_work_orders(session.connection())
    session.expire_all()
    assert session.execute(select(*columns).order_by(*columns[:2])).all() == kept
    assert any(row.returned for row in kept) and any(row.signed_late for row in kept)
