"""Request bodies of the JSON API, validated strictly: a wrong type or unknown value is a 400 naming the field."""
from __future__ import annotations

from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from models import AppealType, Channel, CountAppealItem, PauseReason, Satisfaction, TicketGrade, Urgency

from ..services.identifiers import CREDIT_CODE_LENGTH, normalise_credit_code, normalise_phone


def _check_phone(value: str) -> str:
    """A mainland mobile (13812345678) or landline with area code (0734-8888888), spaces, dashes and +86 allowed."""
    phone = normalise_phone(value)
    if phone is None:
        raise ValueError("not a valid phone number (mobile 13812345678 or landline 0734-8888888)")
    return phone


Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=24), AfterValidator(_check_phone)]


def _check_credit_code(value: str) -> str:
    """Operators type codes in either case; the register prints them upper-case."""
    code = normalise_credit_code(value)
    if code is None:
        raise ValueError("not a unified social credit code (18 characters, e.g. 91430400MA4L12345X)")
    return code


CreditCode = Annotated[str, StringConstraints(max_length=CREDIT_CODE_LENGTH + 2), AfterValidator(_check_credit_code)]


def text(max_length: int | None, min_length: int = 1):
    """A stripped string between the given lengths (no upper bound for None: a service checks a setting)."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)]


# An appeal's text: its length is the MAX_CONTENT_CHARS setting, which the services check.
Content = text(None)


class Strict(BaseModel):
    """Strict JSON validation; unknown fields are refused so typos don't pass silently."""

    model_config = ConfigDict(strict=True, extra="forbid")


class TokenRequest(Strict):
    username: text(64)
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PasswordChange(Strict):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class RouteRequest(Strict):
    content: Content
    address: text(200, 0) = ""
    district: Optional[text(32)] = None


class EmergencyHandOff(Strict):
    service: text(16)  # one of the EMERGENCY_SERVICES setting, which the intake checks
    note: text(1000)


class TicketCreate(Strict):
    content: Content
    caller_phone: Phone
    appeal_type: AppealType
    caller_name: text(64, 0) = ""
    address: text(200, 0) = ""
    title: text(200, 0) = ""
    urgency: Urgency = Urgency.NORMAL
    channel: Channel = Channel.PHONE
    channel_host: Optional[text(100, 0)] = None  # required for leader_day / entrepreneur_day (the service checks)
    district: Optional[text(32)] = None
    enterprise_name: Optional[text(200)] = None
    enterprise_credit_code: Optional[CreditCode] = None
    resolved_on_call: bool = False
    confidential: bool = False  # 保密: no unit sees the caller's identity
    # The knowledge-base entry whose answer was read out: the call is 即来即办 with that answer.
    kb_entry_id: Optional[int] = Field(default=None, alias="kb_entry")
    reply: text(5000, 0) = Field(default="", validate_default=True)
    emergency: Optional[EmergencyHandOff] = None  # handed to 110 / 119 / 120 / 122 …: saved, not dispatched
    grade: Optional[TicketGrade] = None  # ABCD 分级; A only with 即来即办 (the service checks)

    @field_validator("reply")
    @classmethod
    def _on_call_needs_reply(cls, value: str, info: ValidationInfo) -> str:
        """即来即办 records the answer given on the call (a knowledge-base entry's counts)."""
        if info.data.get("resolved_on_call") and not value and info.data.get("kb_entry_id") is None:
            raise ValueError("reply is required when resolved_on_call is true")
        return value

    @field_validator("enterprise_credit_code")
    @classmethod
    def _enterprise_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        """An enterprise appeal (涉企诉求) names the enterprise as well as its code."""
        if value and not info.data.get("enterprise_name"):
            raise ValueError("enterprise_name is required with enterprise_credit_code")
        return value


class BulkAssignRequest(Strict):
    numbers: list[text(20)]
    department: text(32)
    category: Optional[text(64)] = None


class BulkAcknowledgeRequest(Strict):
    alert_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]]


class AssignRequest(Strict):
    department: text(32)
    category: Optional[text(64)] = None
    note: text(500, 0) = ""


class MergeRequest(Strict):
    original: text(20)
    note: text(500, 0) = ""


class ReasonRequest(Strict):
    reason: text(1000)


class ReturnRequest(Strict):
    reason: text(1000)
    # One of hotline.services.returns.REASONS (the service refuses others, naming reason_code).
    reason_code: text(32) = "other"


class ExtensionCreate(Strict):
    reason: text(1000)
    working_days: int  # 1 to the MAX_EXTENSION_WORKING_DAYS setting, which the workflow checks


class DecisionRequest(Strict):
    note: text(1000, 0) = ""


class ReplyRequest(Strict):
    reply: text(5000)


class CallbackCreate(Strict):
    reached: bool
    solved: Optional[bool] = None
    satisfaction: Optional[Satisfaction] = None
    comment: text(1000, 0) = ""


class KBEntryWrite(Strict):
    question: text(1000)
    answer: text(10000)
    department: text(100)
    active: bool = True


class SimilarRequest(Strict):
    content: Content
    caller_phone: Optional[Phone] = None
    address: text(200, 0) = ""
    district: Optional[text(32)] = None


class PauseCreate(Strict):
    reason: PauseReason
    note: text(1000)
    working_days: int  # 1 to the MAX_PAUSE_WORKING_DAYS setting, which the service checks


class CountAppealCreate(Strict):
    ticket: text(20)
    period: text(16)
    item: CountAppealItem
    reason: text(1000)
class GradeRequest(Strict):
    grade: TicketGrade
    lead: Optional[text(32)] = None  # grade C: the lead unit (主办), which must be the ticket's unit
    co_units: list[text(32)] = Field(default_factory=list, max_length=20)  # grade C: the co-handling units (协办)


class HandlerRequest(Strict):
    username: Optional[text(64)] = None
    round_robin: bool = False


class NoteCreate(Strict):
    body: text(2000)
