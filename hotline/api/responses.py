"""Response bodies of the JSON API, for the OpenAPI document (schemathesis checks every answer against them).

The views build plain dicts (hotline/presentation.py); these models only describe them. Objects allow more
properties than they name, so a field added to a body is documented late, never a broken client.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, RootModel


class Open(BaseModel):
    """A body that may carry more properties than it names."""

    model_config = ConfigDict(extra="allow")


class Unit(Open):
    code: str
    name: str


class Event(Open):
    at: str
    action: str
    from_status: Optional[str]
    to_status: Optional[str]
    actor: Optional[str]
    department: Optional[str]
    note: str
    data: Optional[dict[str, Any]]


class Prediction(Open):
    category: Optional[str]
    department: Optional[Unit]
    probability: Optional[float]
    model_version: Optional[str]
    candidates: list[dict[str, Any]]


class Ticket(Open):
    number: str
    status: str
    appeal_type: str
    urgency: str
    channel: str
    title: str
    content: str
    address: str
    district: Optional[str]
    caller_name: str
    caller_phone: str
    enterprise: Optional[dict[str, Any]]
    category: Optional[str]
    department: Optional[Unit]
    predicted: Prediction
    routing_note: str
    reply: str
    resolved_on_call: bool
    sign_by: Optional[str]
    reply_by: Optional[str]
    signed_at: Optional[str]
    replied_at: Optional[str]
    closed_at: Optional[str]
    reopen_count: int
    return_count: int
    extension_count: int
    repeat_of: Optional[str]
    repeat_count: int
    difficult: bool
    solved: Optional[bool]
    satisfaction: Optional[str]
    callback_unreachable: bool
    callback_due_at: Optional[str]
    flag: Optional[str]
    created_at: str


class TicketWithEvents(Ticket):
    events: list[Event]


class Page(Open):
    page: int
    per_page: int
    total: int


class TicketPage(Page):
    items: list[Ticket]
    total_capped: bool = False  # lists that count to a cap say whether they stopped


class Token(Open):
    token: str
    role: str
    department: Optional[str]
    expires_in: int


class DepartmentRow(Unit):
    kind: str
    parent: Optional[str]
    active: bool


class Departments(Open):
    departments: list[DepartmentRow]


class CategoryRow(Open):
    name: str
    description: str
    active: bool


class Categories(Open):
    categories: list[CategoryRow]


class Candidate(Open):
    category: str
    department: Optional[Unit]
    probability: float


class RouteAnswer(Open):
    candidates: list[Candidate]
    district: Optional[str]
    model_version: Optional[str]
    auto_dispatch: bool


class SimilarTicket(Open):
    number: str
    status: str
    reason: str
    similarity: float
    created_at: str


class SimilarAnswer(Open):
    district: Optional[str]
    similar: list[SimilarTicket]


class KBHit(Open):
    id: int
    question: str
    answer: str
    department: str
    source: str
    score: float


class KBHits(Open):
    results: list[KBHit]


class KBEntry(Open):
    id: int
    question: str
    answer: str
    department: str
    source: str
    active: bool


class Models(Open):
    active: Optional[str]
    load_error: Optional[str]
    models: list[dict[str, Any]]


class Alert(Open):
    id: int
    kind: str
    category: Optional[str]
    district: Optional[str]
    count: int
    window_start: str
    window_end: str
    acknowledged: bool


class Alerts(Page):
    alerts: list[Alert]


class Flags(Open):
    as_of: str


class SupervisionCase(Open):
    id: int
    quarter: str
    ticket: dict[str, Any]
    level: str
    status: str
    deadline: str
    overdue: bool
    lists: dict[str, Any]


class SupervisionPage(Page):
    quarter: Optional[str]
    status: Optional[str]
    items: list[SupervisionCase]


class Report(Open):
    """A monthly report or annual assessment, live or a published revision."""

    source: str
    published: Optional[dict[str, Any]]
    revisions: list[dict[str, Any]]
    is_over: bool


class Published(Report):
    published: dict[str, Any]


class EnterpriseHistory(Open):
    credit_code: str
    name: Optional[str]
    tickets: list[Ticket]
    totals: dict[str, Any]


class Override(Open):
    day: str
    is_workday: bool
    note: str


class Holidays(Open):
    overrides: list[Override]
    calendar: dict[str, Any]


class Deleted(Open):
    deleted: str


class TimeLimits(Open):
    """The time limits, working hours and cycle settings in force."""


class AuditPage(Page):
    items: list[dict[str, Any]]


class Attachment(Open):
    id: int
    content_type: str
    size: int
    filename: str
    source: str
    created_at: str


class Attachments(RootModel[list[Attachment]]):
    pass


class PublicStatus(Open):
    number: str
    status: str
    unit: Optional[str]
    created_at: str
    reply: str


class Document(Open):
    """This OpenAPI document."""

    openapi: str
    paths: dict[str, Any]


class Rows(Page):
    """A page of rows of one kind (pause requests, appeals, …)."""

    items: list[dict[str, Any]]
