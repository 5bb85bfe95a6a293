"""A lived-in demo: simulate days of a city's hotline through the real services, deterministically from a seed.

Calls are entered (intake routes them with the model in service), the dispatcher assigns the queue,
units sign, return, ask for extensions and reply (mostly on time, some late, some never), supervisors
decide extensions and call back, unsatisfied callers reopen tickets, persistent callers repeat
themselves, bursts of one problem in one district raise hot spots, and the cycle jobs run whenever
`cycle due` would have run them. Nothing here writes a status itself: workflow.py does, as in service.
"""
from __future__ import annotations

import csv
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    AppealType,
    Category,
    Channel,
    Department,
    ExtensionRequest,
    ExtensionStatus,
    Role,
    Satisfaction,
    Ticket,
    TicketStatus,
    Urgency,
    User,
)

from . import workflow
from .cycle import jobs
from .intake import NewTicket, create_ticket
from .places import load_gazetteer
from .policy import Policy
from .routing import RoutingEngine, resolve_departments

S = TicketStatus
CALLS_PER_WORKDAY = (8, 16)
CALLS_PER_HOLIDAY = (1, 4)
APPEAL_TYPES = {"咨询": [AppealType.CONSULTATION], "建言": [AppealType.SUGGESTION],
                "投诉/求助": [AppealType.COMPLAINT, AppealType.HELP, AppealType.COMPLAINT, AppealType.REPORT]}
REPLIES = ("已安排工作人员现场核查，问题已处理完毕，并向来电人说明情况。", "经核实，已督促责任单位整改到位。",
           "已向来电人解释相关政策和办理流程。", "已协调相关单位处理，后续将持续跟进。")
RETURN_REASONS = (("not_ours", "非本单位职责，请改派。"), ("wrong_district", "诉求地址不在本辖区。"))


@dataclass(frozen=True)
class Appeal:
    """A citizen's message of the bundled data, with the catalogue label a person gave it."""

    text: str
    label: str
    kind: str


@dataclass
class HistoryReport:
    """What the simulated days produced."""

    days: int = 0
    calls: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    jobs: list[str] = field(default_factory=list)

    def count(self, action: str) -> None:
        """Count one action of the simulation."""
        self.actions[action] = self.actions.get(action, 0) + 1


def load_appeals(path: Path, labels: set[str]) -> list[Appeal]:
    """The bundled messages whose label is an active category of the city."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [Appeal(r["text"].strip(), r["label"].strip(), r.get("type", "").strip())
                for r in csv.DictReader(handle) if r["label"].strip() in labels and r["text"].strip()]


class Simulation:
    """The hotline's days, one action at a time in time order (a heap of what is due when)."""

    def __init__(self, session: Session, engine: RoutingEngine, policy: Policy, appeals: list[Appeal],
                 seed: int, end: datetime) -> None:
        self.session, self.engine, self.policy, self.end = session, engine, policy, end
        self.rng = random.Random(seed)
        self.appeals = appeals
        self.queue: list[tuple[datetime, int, str, Any]] = []
        self.order = itertools.count()
        self.report = HistoryReport()
        self.staff = {role: session.scalar(select(User).where(User.role == role, User.active.is_(True))
                                           .order_by(User.id)) for role in (Role.OPERATOR, Role.DISPATCHER,
                                                                           Role.SUPERVISOR)}
        missing = [role.value for role, user in self.staff.items() if user is None]
        if missing:
            raise ValueError(f"the city has no active {', '.join(missing)} user to act in the simulation")
        self.unit_users: dict[int, User | None] = {}
        gazetteer = load_gazetteer(session)
        self.places: dict[str, list[str]] = {d: [] for d in gazetteer.districts}
        for name, district in gazetteer.names:
            if name != district and district in self.places:
                self.places[district].append(name)
        self.districts = sorted(self.places)
        self.callers = [f"139{self.rng.randrange(10**8):08d}" for _ in range(400)]
        self.persistent = [(self.callers[i], self.rng.choice(appeals)) for i in range(3)]  # they will repeat
        self.truth: dict[int, str] = {}  # ticket id → the label the data gives (the final category)

    # -- scheduling -------------------------------------------------------------------------------

    def at(self, moment: datetime, action: str, payload: Any = None) -> None:
        """Do `action` at `moment` (if that is before the end of the simulation)."""
        if moment < self.end:
            heapq.heappush(self.queue, (moment, next(self.order), action, payload))

    def run(self, first_day, days: int, commit: Callable[[], None]) -> HistoryReport:
        """Simulate `days` days from `first_day` (local dates), committing after each day."""
        self.first_day = first_day
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            self.plan_day(day, burst=offset == days // 2)  # at least one hot spot in any history
            next_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.policy.tz)
            while self.queue and self.queue[0][0] < next_day:
                moment, _, action, payload = heapq.heappop(self.queue)
                getattr(self, f"do_{action}")(moment, payload)
            self.report.days += 1
            commit()
        return self.report

    def local(self, day, hour: float) -> datetime:
        """A moment of a local day, e.g. 9.5 → 09:30."""
        return datetime.combine(day, time(0), tzinfo=self.policy.tz) + timedelta(hours=hour)

    def plan_day(self, day, burst: bool = False) -> None:
        """Put the day's calls, the dispatcher's rounds, the callbacks and the cron line on the heap."""
        working = self.policy.calendar.is_workday(day)
        low, high = CALLS_PER_WORKDAY if working else CALLS_PER_HOLIDAY
        for _ in range(self.rng.randint(low, high)):
            self.at(self.local(day, self.rng.uniform(8.0, 20.0)), "call", None)
        if burst or self.rng.random() < 0.1:  # one problem, one district, many callers within hours: a hot spot
            appeal = self.rng.choice(self.appeals)
            district = self.rng.choice(self.districts)
            start = self.rng.uniform(8.0, 12.0)
            for i in range(self.policy.hotspot_rules.min_tickets + 1):
                self.at(self.local(day, start + i * 0.4), "call", {"same": appeal, "district": district})
        if day.toordinal() % 5 == 0:  # the persistent callers ring again: repeats, then a supervision case
            for caller, appeal in self.persistent:
                self.at(self.local(day, self.rng.uniform(9.0, 11.0)), "call", {"caller": caller, "appeal": appeal})
        self.at(self.local(day, 8.1), "cycle", None)
        if working:
            for hour in (9.5, 11.0, 14.5, 16.5):
                self.at(self.local(day, hour), "dispatch_round", None)
            self.at(self.local(day, 10.0), "callbacks", None)

    # -- the actions ------------------------------------------------------------------------------

    def do_call(self, now: datetime, spec: dict | None) -> None:
        """A citizen calls; the operator enters it (a few consultations answered on the spot)."""
        spec = spec or {}
        rng = self.rng
        if "caller" in spec:
            appeal, caller = spec["appeal"], spec["caller"]
            content = "再次反映：" + appeal.text
        else:
            appeal = spec.get("same") or rng.choice(self.appeals)
            caller = rng.choice(self.callers)
            content = appeal.text
        district = spec.get("district") or rng.choice(self.districts)
        street = rng.choice(self.places[district]) if self.places[district] else ""
        appeal_type = rng.choice(APPEAL_TYPES.get(appeal.kind, [AppealType.COMPLAINT]))
        on_call = appeal_type == AppealType.CONSULTATION and rng.random() < 0.3
        caller_name = rng.choice(("王先生", "李女士", "张先生", "刘女士", "陈先生", ""))
        address = f"{district}{street}{rng.randint(1, 200)}号"
        urgency = Urgency.URGENT if rng.random() < 0.03 else Urgency.NORMAL
        channel = rng.choices([Channel.PHONE, Channel.WEB, Channel.WECHAT, Channel.LEADER_DAY], weights=[85, 7, 6, 2])[0]
        data = NewTicket(
            content=content, caller_phone=caller, appeal_type=appeal_type, caller_name=caller_name, address=address,
            urgency=urgency, channel=channel, channel_host="市长接听日" if channel == Channel.LEADER_DAY else None,
            resolved_on_call=on_call, reply="已在电话中告知相关政策和办理流程。" if on_call else "",
        )
        ticket = create_ticket(self.session, data, self.staff[Role.OPERATOR], self.engine, self.policy, now)
        self.truth[ticket.id] = appeal.label
        self.report.calls += 1
        self.report.count("answered on the call" if on_call else ticket.status.value)
        if ticket.status == S.DISPATCHED:
            self.unit_takes(ticket, now)

    def do_dispatch_round(self, now: datetime, _payload: Any) -> None:
        """The dispatcher works the queue (what came in the last half hour waits for the next round)."""
        waiting = self.session.scalars(select(Ticket).where(
            Ticket.status == S.PENDING_DISPATCH, Ticket.created_at < now - timedelta(minutes=30)
        ).order_by(Ticket.id)).all()
        for ticket in waiting:
            unit, category = self.right_unit(ticket)
            if unit is None or self.rng.random() < 0.15:  # a hard one waits for the next round
                continue
            workflow.dispatch(self.session, ticket, unit, category, self.policy, now,
                              actor=self.staff[Role.DISPATCHER], note="派单员人工派单")
            self.report.count("assigned")
            if self.rng.random() < 0.02 and not ticket.difficult:
                workflow.flag_difficult(self.session, ticket, "涉及多个部门，需主任协调", self.staff[Role.DISPATCHER], now)
                self.report.count("flagged difficult")
            self.unit_takes(ticket, now)

    def right_unit(self, ticket: Ticket) -> tuple[Department | None, Category | None]:
        """The unit the rules give the ticket's true category in its district (what a dispatcher decides)."""
        label = self.truth.get(ticket.id) or ticket.predicted_category
        units = resolve_departments(self.session, [label], ticket.district) if label else {}
        category = self.session.scalar(select(Category).where(Category.name == label)) if label else None
        return units.get(label), category

    def unit_takes(self, ticket: Ticket, now: datetime) -> None:
        """Plan what the unit does with a ticket just sent to it: return it, or sign (on time or late)."""
        rng = self.rng
        wrong = self.truth.get(ticket.id) not in (None, ticket.category.name if ticket.category else None)
        window = max(ticket.sign_by - now, timedelta(minutes=10)) if ticket.sign_by else timedelta(hours=2)
        if ticket.return_count < self.policy.max_returns and (wrong or rng.random() < 0.04) and \
                ticket.reopen_count == 0:
            self.at(now + window * rng.uniform(0.1, 0.8), "return", ticket.id)
        elif rng.random() < 0.88:
            self.at(now + window * rng.uniform(0.05, 0.9), "sign", ticket.id)
        else:
            self.at(now + window + timedelta(hours=rng.uniform(1, 30)), "sign", ticket.id)

    def unit_user(self, ticket: Ticket) -> User | None:
        """Someone of the ticket's unit to act for it."""
        if ticket.department_id not in self.unit_users:
            self.unit_users[ticket.department_id] = self.session.scalar(select(User).where(
                User.department_id == ticket.department_id, User.active.is_(True)).order_by(User.id))
        return self.unit_users[ticket.department_id]

    def _ticket(self, ticket_id: int, *states: TicketStatus) -> Ticket | None:
        """The ticket, if it is still in one of `states` (a reassignment may have overtaken a plan)."""
        ticket = self.session.get(Ticket, ticket_id)
        return ticket if ticket is not None and ticket.status in states else None

    def do_return(self, now: datetime, ticket_id: int) -> None:
        """退单 within the sign limit."""
        ticket = self._ticket(ticket_id, S.DISPATCHED)
        if ticket is None or (user := self.unit_user(ticket)) is None:
            return
        if ticket.sign_by is not None and now > ticket.sign_by:
            self.at(now, "sign", ticket_id)  # too late to refuse it
            return
        code, reason = self.rng.choice(RETURN_REASONS)
        workflow.return_ticket(self.session, ticket, reason, user, self.policy, now, reason_code=code)
        self.report.count("returned")

    def do_sign(self, now: datetime, ticket_id: int) -> None:
        """签收, then plan the reply (and now and then an extension request)."""
        ticket = self._ticket(ticket_id, S.DISPATCHED)
        if ticket is None or (user := self.unit_user(ticket)) is None:
            return
        workflow.sign(self.session, ticket, user, now)
        self.report.count("signed")
        rng = self.rng
        window = max(ticket.reply_by - now, timedelta(hours=1)) if ticket.reply_by else timedelta(days=3)
        if ticket.extension_count == 0 and rng.random() < 0.08:
            self.at(now + window * 0.3, "extension", ticket_id)
        chance = rng.random()
        if chance < 0.78:
            self.at(now + window * rng.uniform(0.1, 0.95), "reply", ticket_id)
        elif chance < 0.93:
            self.at(now + window + timedelta(hours=rng.uniform(2, 200)), "reply", ticket_id)
        # else: never replied within the simulation (overdue, red and then black flags)

    def do_extension(self, now: datetime, ticket_id: int) -> None:
        """延期申请, decided by a supervisor a few hours later."""
        ticket = self._ticket(ticket_id, S.SIGNED)
        if ticket is None or (user := self.unit_user(ticket)) is None:
            return
        days = self.rng.randint(2, 5)
        workflow.request_extension(self.session, ticket, "需协调第三方单位，申请延期办理", days, user, self.policy, now)
        self.report.count("extension requested")
        self.at(now + timedelta(hours=self.rng.uniform(1, 6)), "decide", ticket_id)

    def do_decide(self, now: datetime, ticket_id: int) -> None:
        """A supervisor approves most requests."""
        ticket = self._ticket(ticket_id, S.SIGNED)
        if ticket is None or self.session.scalar(select(ExtensionRequest.id).where(
                ExtensionRequest.ticket_id == ticket_id, ExtensionRequest.status == ExtensionStatus.PENDING)) is None:
            return
        approve = self.rng.random() < 0.8
        workflow.decide_extension(self.session, ticket, approve, self.staff[Role.SUPERVISOR], self.policy, now,
                                  note="同意延期" if approve else "理由不充分，请按期办结")
        self.report.count("extension approved" if approve else "extension rejected")

    def do_reply(self, now: datetime, ticket_id: int) -> None:
        """办结回复."""
        ticket = self._ticket(ticket_id, S.SIGNED)
        if ticket is None or (user := self.unit_user(ticket)) is None:
            return
        workflow.reply(self.session, ticket, self.rng.choice(REPLIES), user, now, policy=self.policy)
        self.report.count("replied")

    def do_callbacks(self, now: datetime, _payload: Any) -> None:
        """每日一回访: each working morning the supervisor calls back the tickets replied before today."""
        today = datetime.combine(now.astimezone(self.policy.tz).date(), time(0), tzinfo=self.policy.tz)
        due = self.session.scalars(select(Ticket).where(
            Ticket.status == S.REPLIED, Ticket.replied_at < today).order_by(Ticket.id)).all()
        rng = self.rng
        for ticket in due:
            if rng.random() < 0.1:
                workflow.record_callback(self.session, ticket, self.staff[Role.SUPERVISOR], self.policy, now,
                                         reached=False, comment="无人接听")
                self.report.count("callback unreached")
                continue
            satisfaction = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED,
                                        Satisfaction.UNSATISFIED], weights=[72, 18, 10])[0]
            solved = satisfaction != Satisfaction.UNSATISFIED and rng.random() < 0.96
            workflow.record_callback(self.session, ticket, self.staff[Role.SUPERVISOR], self.policy, now,
                                     reached=True, solved=solved, satisfaction=satisfaction,
                                     comment="" if solved else "来电人表示问题未解决")
            self.report.count("closed" if ticket.status == S.CLOSED else "reopened")
            if ticket.status == S.DISPATCHED:
                self.unit_takes(ticket, now)

    def do_cycle(self, now: datetime, _payload: Any) -> None:
        """The cron line: whatever is due (daily job; last month's report, quarter's cases, year's assessment)."""
        for job, period in jobs.due(self.session, self.policy, now):
            if job != "daily" and period.next_day <= self.first_day:
                continue  # a period the simulation has no day of would publish an empty report
            outcome = jobs.run(self.session, job, period, self.policy, now, host="demo-history")
            if outcome.ran:
                self.report.jobs.append(f"{job} {outcome.period}")


def simulate(session: Session, engine: RoutingEngine, policy: Policy, appeals_csv: Path, *, days: int, seed: int,
             now: datetime, commit: Callable[[], None] = lambda: None) -> HistoryReport:
    """Simulate the `days` days up to `now` (the last one until `now`); the same seed gives the same history."""
    labels = set(session.scalars(select(Category.name).where(Category.active.is_(True))))
    appeals = load_appeals(appeals_csv, labels)
    if not appeals:
        raise ValueError(f"{appeals_csv} has no message of the city's categories")
    simulation = Simulation(session, engine, policy, appeals, seed, now)
    first_day = now.astimezone(policy.tz).date() - timedelta(days=days - 1)
    return simulation.run(first_day, days, commit)
