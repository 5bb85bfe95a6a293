"""Tickets (工单), their append-only event log, and the small tables around them."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .coordination import TicketCoUnit, TicketGrade
from .department import Category, Department
from .user import User


class TicketStatus(enum.StrEnum):
    """Where a ticket is in its lifecycle."""

    PENDING_DISPATCH = "pending_dispatch"
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    REPLIED = "replied"
    CLOSED = "closed"


OPEN_STATES = frozenset({TicketStatus.PENDING_DISPATCH, TicketStatus.DISPATCHED, TicketStatus.SIGNED})


class AppealType(enum.StrEnum):
    """诉求类型."""

    CONSULTATION = "consultation"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬


class Urgency(enum.StrEnum):
    """紧急程度."""

    NORMAL = "normal"
    URGENT = "urgent"


class Channel(enum.StrEnum):
    """How the appeal reached the hotline."""

    PHONE = "phone"
    WEB = "web"
    WECHAT = "wechat"
    LEADER_DAY = "leader_day"  # 领导接听日
    OPEN311 = "open311"  # another system, through GeoReport v2
    ENTREPRENEUR_DAY = "entrepreneur_day"  # 企业家接待日


class Satisfaction(enum.StrEnum):
    """The citizen's rating at callback (好差评)."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"


class EventAction(enum.StrEnum):
    """What happened to a ticket."""

    CREATED = "created"
    ROUTED = "routed"
    QUEUED = "queued"
    ANSWERED_ON_CALL = "answered_on_call"
    ASSIGNED = "assigned"
    SIGNED = "signed"
    RETURNED = "returned"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REJECTED = "extension_rejected"
    REPLIED = "replied"
    CALLBACK_UNREACHED = "callback_unreached"
    CALLBACK_UNREACHABLE = "callback_unreachable"
    REOPENED = "reopened"
    CLOSED = "closed"
    LINKED_REPEAT = "linked_repeat"
    MERGED = "merged"  # a duplicate closed into the first ticket of its matter
    FLAGGED_DIFFICULT = "flagged_difficult"
    ESCALATED = "escalated"
    SUPERVISED = "supervised"  # a supervision case (督办件) was opened on the ticket
    SUPERVISION_CLOSED = "supervision_closed"  # ... and closed (销号) with a written resolution
    ATTACHED = "attached"  # a photo or PDF was added
    PAUSE_REQUESTED = "pause_requested"  # 挂起: a unit asks to stop the clock
    PAUSE_APPROVED = "pause_approved"
    PAUSE_REJECTED = "pause_rejected"
    RESUMED = "resumed"  # the clock runs again; the deadlines moved by the paused working time
    EMERGENCY_HANDED_OFF = "emergency_handed_off"  # handed to 110 / 119 / 120 / 122 …: no unit's clock runs
    COUNT_APPEAL_FILED = "count_appeal_filed"  # 申诉/核减
    COUNT_APPEAL_ACCEPTED = "count_appeal_accepted"
    COUNT_APPEAL_REJECTED = "count_appeal_rejected"
    REVISITED = "revisited"  # 回头看: the supervisor called again weeks after closing; data says whether it held
    BATCHED = "batched"  # 集中交办: handed to a unit in a batch of repeat complaints
    GRADED = "graded"  # ABCD 分级 set or changed (with the co-handling units of grade C)
    CO_UNIT_REPLIED = "co_unit_replied"  # a co-handling unit (协办) replied its part
    HANDLER_ASSIGNED = "handler_assigned"  # taken by, assigned or reassigned to one handler inside the unit
    IDENTITY_VIEWED = "identity_viewed"  # centre staff revealed a confidential caller's identity (保密)
    RECTIFICATION_UPDATED = "rectification_updated"  # the responsible unit updated a case's 整改清单
    CALLED_BACK_WITH_ORIGINAL = "called_back_with_original"  # a merged duplicate's caller, once the original closed


class TicketFlag(enum.StrEnum):
    """红绿黑旗, as last refreshed by the daily job (the values of hotline.services.sla.Flag)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLACK = "black"


class Ticket(Base):
    """One citizen's appeal, followed to the end whatever unit it passes through (一办到底)."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_department_status", "department_id", "status"),
        # The unit inbox's default order (time left to reply) and its "newest dispatched" order.
        Index("ix_tickets_department_status_reply_by", "department_id", "status", "reply_by"),
        Index("ix_tickets_department_dispatched", "department_id", "dispatched_at"),
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_caller_phone_created", "caller_phone", "created_at"),
        Index("ix_tickets_district_category_created", "district", "category_id", "created_at"),
        # The hot-spot check counts each new call's (district, predicted category) over the last hours.
        Index("ix_tickets_district_predicted_created", "district", "predicted_category", "created_at"),
        # The daily job's flag refresh reads the open tickets only (docs/scale.md), never the closed history.
        Index("ix_tickets_unclosed_status", "status", postgresql_where=text("status <> 'closed'"),
              sqlite_where=text("status <> 'closed'")),
        # Tickets under supervision: the flag refresh, and the reports' correction for a case's deadline.
        Index("ix_tickets_supervision_black_at", "supervision_black_at",
              postgresql_where=text("supervision_black_at IS NOT NULL"),
              sqlite_where=text("supervision_black_at IS NOT NULL")),
        Index("ix_tickets_closed_at", "closed_at"),  # the refresh's newly closed tickets; archiving by age
        # The quarterly rules, bounded by the quarter: repeats created in it, long-overdue moments in it.
        Index("ix_tickets_repeats_created", "created_at", postgresql_where=text("repeat_of_id IS NOT NULL"),
              sqlite_where=text("repeat_of_id IS NOT NULL")),
        # The monthly report's per-channel intake counts (the reported channels are few and small).
        Index("ix_tickets_channel_created", "channel", "created_at"),
        # Search (hotline.services.search): a number's or a phone's prefix, a phone's tail, a caller's name.
        # The word index itself is dialect-specific and made by migration 0019 (models.search_index).
        Index("ix_tickets_phone_reversed_created", "phone_reversed", "created_at"),
        # Newest first (search.NEWEST_FIRST) read backwards: a common word's first page stops after a few rows.
        Index("ix_tickets_created_id", "created_at", "id"),
        Index("ix_tickets_caller_name_created", "caller_name", "created_at"),
        Index("ix_tickets_late_reply_black_at", "reply_black_at",
              postgresql_where=text("replied_at IS NULL OR replied_at > reply_black_at"),
              sqlite_where=text("replied_at IS NULL OR replied_at > reply_black_at")),
        # A unit inbox's "my tickets" and "unassigned" views.
        Index("ix_tickets_department_handler", "department_id", "handler_id"),
        # The repeat search (services/repeats.py): a district's recent tickets, and the open ones of a
        # district or caller older than the window, each an index range however long the history.
        Index("ix_tickets_district_created", "district", "created_at"),
        Index("ix_tickets_open_district_created", "district", "created_at",
              postgresql_where=text("status <> 'closed'"), sqlite_where=text("status <> 'closed'")),
        Index("ix_tickets_open_caller_created", "caller_phone", "created_at",
              postgresql_where=text("status <> 'closed'"), sqlite_where=text("status <> 'closed'")),
        # Lists not bounded to open work: a unit's tickets newest first, everyone's newest first, and a
        # unit's tickets of every status by deadline (the inbox's "all" view).
        Index("ix_tickets_department_created", "department_id", "created_at"),
        Index("ix_tickets_created", "created_at"),
        Index("ix_tickets_department_reply_by", "department_id", "reply_by"),
        Index("ix_tickets_department_sign_by", "department_id", "sign_by"),
        # The inbox's flag order over closed tickets, read off the index (search.inbox).
        Index("ix_tickets_department_flag_rank", "department_id", "flag_rank", "reply_by", "id",
              postgresql_where=text("status = 'closed'"), sqlite_where=text("status = 'closed'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.PHONE)
    appeal_type: Mapped[AppealType] = mapped_column(enum_column(AppealType))
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), default=Urgency.NORMAL)

    caller_name: Mapped[str] = mapped_column(String(64), default="")
    caller_phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[Optional[str]] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text)
    # The content's character bigrams, stored at intake so the repeat search compares stored features
    # (services/repeats.py); NULL on tickets older than migration 0021's back-fill, computed when read.
    content_bigrams: Mapped[Optional[str]] = mapped_column(Text)
    # The jieba words of title, content and address, space-joined (hotline.services.search_terms fills it on
    # every insert and edit): PostgreSQL's full-text and SQLite's FTS5 index split it on the spaces.
    search_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The phone's digits back to front, so "ends with 5678" is a prefix the index serves.
    phone_reversed: Mapped[str] = mapped_column(String(20), default="", server_default="")
    enterprise_name: Mapped[Optional[str]] = mapped_column(String(200))
    enterprise_credit_code: Mapped[Optional[str]] = mapped_column(String(18), index=True)
    # 领导接听日 / 企业家接待日: the leader who answered, or the reception day's name (those channels only).
    channel_host: Mapped[Optional[str]] = mapped_column(String(100))
    # 保密: no unit sees the caller's name, phone or address (beyond the district); staff views are events.
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())

    # What the router proposed, kept even when a person decided otherwise: it is training data.
    predicted_category: Mapped[Optional[str]] = mapped_column(String(64))
    predicted_department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))
    predicted_probability: Mapped[Optional[float]]
    model_version: Mapped[Optional[str]] = mapped_column(String(64))
    routing_note: Mapped[str] = mapped_column(String(200), default="")
    # The same as a system note {code, params} (hotline/services/notes.py), for the pages; None on older rows.
    routing_reason: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    # The top candidates the dispatcher chooses from: [{category, department, probability}].
    route_candidates: Mapped[Optional[list[dict[str, Any]]]] = mapped_column(JSON)

    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id"))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))

    dispatched_at: Mapped[Optional[datetime]]
    sign_by: Mapped[Optional[datetime]]
    reply_by: Mapped[Optional[datetime]]
    signed_at: Mapped[Optional[datetime]]
    replied_at: Mapped[Optional[datetime]]
    closed_at: Mapped[Optional[datetime]]
    reply: Mapped[str] = mapped_column(Text, default="")
    resolved_on_call: Mapped[bool] = mapped_column(default=False)

    return_count: Mapped[int] = mapped_column(default=0)
    reopen_count: Mapped[int] = mapped_column(default=0)
    extension_count: Mapped[int] = mapped_column(default=0)
    repeat_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tickets.id"), index=True)
    repeat_count: Mapped[int] = mapped_column(default=0)
    difficult: Mapped[bool] = mapped_column(default=False)
    solved: Mapped[Optional[bool]]
    satisfaction: Mapped[Optional[Satisfaction]] = mapped_column(enum_column(Satisfaction))
    callback_unreachable: Mapped[bool] = mapped_column(default=False)

    # The supervision cycle (docs/metrics.md). Flag thresholds are fixed whenever a clock starts
    # or moves, so any instant's flag is plain SQL over these columns (hotline.services.cycle.flags).
    sign_warn_at: Mapped[Optional[datetime]]
    sign_black_at: Mapped[Optional[datetime]]
    reply_warn_at: Mapped[Optional[datetime]]
    reply_black_at: Mapped[Optional[datetime]]
    supervision_black_at: Mapped[Optional[datetime]]  # a supervision case on it misses its deadline then
    callback_due_at: Mapped[Optional[datetime]]
    flag: Mapped[Optional[TicketFlag]] = mapped_column(enum_column(TicketFlag))  # as of flag_at
    flag_at: Mapped[Optional[datetime]]
    # A closed ticket's final flag as a sort key, black first and no flag last (cycle.flags.FLAG_RANK), stored
    # by the daily refresh with `flag` (migration 0024 filled the history); unused while a ticket is open.
    flag_rank: Mapped[int] = mapped_column(SmallInteger, default=4, server_default="4")
    # The deadline an ESCALATED event was last written for, so each deadline is escalated once.
    sign_escalated_for: Mapped[Optional[datetime]]
    reply_escalated_for: Mapped[Optional[datetime]]

    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every action (hotline.services.claims): of two concurrent actions, one wins.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # 挂起: while set, the clock stands still from this instant (flags and reports judge the ticket then).
    paused_at: Mapped[Optional[datetime]]
    # Emergency hand-off: the service the call went to (110 …), when, and the note read to it.
    emergency_service: Mapped[Optional[str]] = mapped_column(String(16))
    emergency_note: Mapped[Optional[str]] = mapped_column(Text)
    emergency_at: Mapped[Optional[datetime]] = mapped_column(index=True)
    # 分级解决 (hotline.services.grading): B unless 即来即办 (A) or a dispatcher or supervisor says otherwise.
    grade: Mapped[TicketGrade] = mapped_column(enum_column(TicketGrade), default=TicketGrade.B, server_default="B")
    # The one person inside the unit handling it (hotline.services.handlers); cleared when it leaves the unit.
    handler_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    category: Mapped[Optional[Category]] = relationship(foreign_keys=[category_id])
    department: Mapped[Optional[Department]] = relationship(foreign_keys=[department_id])
    predicted_department: Mapped[Optional[Department]] = relationship(foreign_keys=[predicted_department_id])
    repeat_of: Mapped[Optional[Ticket]] = relationship(remote_side=[id])
    handler: Mapped[Optional[User]] = relationship(foreign_keys=[handler_id])
    co_units: Mapped[list[TicketCoUnit]] = relationship(order_by=TicketCoUnit.id, cascade="all, delete-orphan")
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="save-update, merge"
    )

    @property
    def is_enterprise(self) -> bool:
        """Whether this is a 涉企诉求 (it carries an enterprise's credit code)."""
        return bool(self.enterprise_credit_code)


class TicketEvent(Base):
    """One append-only entry of a ticket's history: who did what, when, from which status to which."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_action_at", "action", "at"),)

    # A decade of events passes 2**31 (docs/scale.md). On PostgreSQL the table is partitioned by month of
    # ``at`` (migration 0010) and its primary key is (id, at); ids still come from one sequence.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    action: Mapped[EventAction] = mapped_column(enum_column(EventAction))
    from_status: Mapped[Optional[TicketStatus]] = mapped_column(enum_column(TicketStatus))
    to_status: Mapped[Optional[TicketStatus]] = mapped_column(enum_column(TicketStatus))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    actor: Mapped[Optional[User]] = relationship()
    department: Mapped[Optional[Department]] = relationship()


class ExtensionStatus(enum.StrEnum):
    """State of a department's request for more time (延期)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExtensionRequest(Base):
    """A department's one request for more time, decided by a supervisor."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    reason: Mapped[str] = mapped_column(Text)
    working_days: Mapped[int]
    # Indexed: supervisors list the pending requests all day.
    status: Mapped[ExtensionStatus] = mapped_column(enum_column(ExtensionStatus), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    ticket: Mapped[Ticket] = relationship()


class Callback(Base):
    """One callback attempt (回访): reached or not, and if reached, solved and satisfaction."""

    __tablename__ = "callbacks"
    __table_args__ = (Index("ix_callbacks_at", "at"),)  # the quarter's callbacks (每季一督办)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("departments.id"))
    attempt: Mapped[int]
    at: Mapped[datetime]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reached: Mapped[bool]
    solved: Mapped[Optional[bool]]
    satisfaction: Mapped[Optional[Satisfaction]] = mapped_column(enum_column(Satisfaction))
    comment: Mapped[str] = mapped_column(Text, default="")


class TicketCounter(Base):
    """Last ticket sequence number issued per day, so numbers are short and unique."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class IntakeKey(Base):
    """An intake's Idempotency-Key: a retried request with the same key gets the first ticket back."""

    __tablename__ = "intake_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_intake_keys_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    # The number the key's ticket gets, written with the key before the ticket exists (the number is
    # taken first), so a keyed intake writes its key once; no foreign key for that reason.
    ticket_number: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(index=True)  # keys expire (the daily job deletes them)


class CalendarOverride(Base):
    """A city's own change to the working calendar (a closure, or an extra working day)."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(200), default="")
