"""SQLAlchemy models of the hotline; importing this package makes Base.metadata complete."""
from .base import Base, utcnow
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
from .knowledge import Alert, KBEntry, Setting
from .department import Category, Department, DepartmentKind, RoutingRule
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

__all__ = [
    "OPEN_STATES", "Alert", "AppealType", "KBEntry", "Setting", "Base", "CalendarOverride", "Callback", "Category", "Channel",
    "Department", "DepartmentKind", "EventAction", "ExtensionRequest", "ExtensionStatus", "IntakeKey",
    "Role", "RoutingRule", "Satisfaction", "Ticket", "TicketCounter", "TicketEvent",
    "TicketStatus", "Urgency", "User", "utcnow",
    # the supervision cycle
    "JobRun", "ReportKind", "ReportSnapshot", "SupervisionCase", "SupervisionLevel", "SupervisionReason",
    "SupervisionStatus", "TicketFlag",
    # what the period reports read
    "ReportRollup", "WorkOrder",
]
