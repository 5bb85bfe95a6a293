"""SQLAlchemy models of the hotline; importing this package makes Base.metadata complete."""
from .audit import AuditEntry
from .base import Base, utcnow
from .calendar import CalendarYear
from .cycle import (
    JobRun,
    ReportKind,
    ReportSnapshot,
    SupervisionCase,
    SupervisionLevel,
    SupervisionReason,
    SupervisionStatus,
)
from .rollup import ReportRollup, WorkOrder
from .pause import CountAppeal, CountAppealItem, CountAppealStatus, PauseReason, PauseStatus, TicketPause
from .knowledge import Alert, KBEntry, Setting
from .learning import RetrainDecision, RetrainOutcome
from .department import Category, Department, DepartmentKind, RoutingRule
from .place import Place, PlaceKind
from .ticket import (
    OPEN_STATES,
    AppealType,
    CalendarOverride,
    Callback,
    Channel,
    EventAction,
    ExtensionRequest,
    ExtensionStatus,
    IntakeKey,
    Satisfaction,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketFlag,
    TicketStatus,
    Urgency,
)
from .user import Role, User
from .revisit import Batch, BatchStatus, BatchTicket, ChannelRollup, Revisit, RevisitStatus
from .coordination import HandlerTurn, TicketCoUnit, TicketGrade, TicketNote
from .interfaces import (
    Attachment, NotifyChannel, NotifyTarget, Open311Client, Open311Request, OutboxMessage, OutboxStatus,
)

__all__ = [
    "OPEN_STATES", "Alert", "AuditEntry", "AppealType", "KBEntry", "Setting", "Base", "CalendarOverride", "Callback",
    "Category", "Channel", "Department", "DepartmentKind", "EventAction", "ExtensionRequest", "ExtensionStatus", "IntakeKey",
    "Role", "RoutingRule", "Satisfaction", "Ticket", "TicketCounter", "TicketEvent",
    "TicketStatus", "Urgency", "User", "utcnow",
    # the supervision cycle
    "JobRun", "ReportKind", "ReportSnapshot", "SupervisionCase", "SupervisionLevel", "SupervisionReason",
    "SupervisionStatus", "TicketFlag",
    # the city package
    "CalendarYear", "Place", "PlaceKind",
    # interfaces to citizens and other systems
    "Attachment", "NotifyChannel", "NotifyTarget", "Open311Client", "Open311Request", "OutboxMessage", "OutboxStatus",
    # what the period reports read
    "ReportRollup", "WorkOrder",
    # 挂起 and 申诉/核减
    "CountAppeal", "CountAppealItem", "CountAppealStatus", "PauseReason", "PauseStatus", "TicketPause",
    # 回头看, 集中交办, channels reported separately
    "Batch", "BatchStatus", "BatchTicket", "ChannelRollup", "Revisit", "RevisitStatus",
    # 分级解决 and the work inside a unit
    "HandlerTurn", "TicketCoUnit", "TicketGrade", "TicketNote",
    # what the router learned
    "RetrainDecision", "RetrainOutcome",
]
