"""Tickets and the rest as both front ends show them: ISO 8601 times in the city's zone, phones masked for units."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models import Department, Role, Ticket, TicketEvent, User

from . import clock
from .services import emergency, pauses
from .services.confidentiality import caller_view, mask_phone  # noqa: F401 - mask_phone: the pages' filter
from .services.cycle.flags import flag_of
from .services.grading import supervised_by
from .services.policy import Policy


def iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 with the offset, in the city's time zone."""
    return value.astimezone(tz).isoformat() if value else None


def department_json(department: Department | None) -> dict[str, str] | None:
    """{code, name} of a unit."""
    return {"code": department.code, "name": department.name} if department else None


def event_json(event: TicketEvent, tz: ZoneInfo) -> dict[str, Any]:
    """One history entry."""
    return {
        "at": iso(event.at, tz),
        "action": event.action.value,
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value if event.to_status else None,
        "actor": event.actor.username if event.actor else None,
        "department": event.department.code if event.department else None,
        "note": event.note,
        "data": event.data,
    }


def coordination_json(ticket: Ticket, tz: ZoneInfo) -> dict[str, Any]:
    """分级解决 and the work inside the unit: grade, who supervises, the co-handling units, the handler."""
    return {
        "grade": ticket.grade.value,
        "supervised_by": supervised_by(ticket.grade),
        "co_units": [
            {**department_json(c.department), "replied_at": iso(c.replied_at, tz), "reply": c.reply}
            for c in ticket.co_units
        ],
        "handler": (
            {"username": ticket.handler.username, "name": ticket.handler.display_name} if ticket.handler else None
        ),
    }


def _flag(ticket: Ticket, policy: Policy) -> str | None:
    """The ticket's flag now, or None when no time limit runs."""
    flag = flag_of(ticket, clock.now(), policy.cycle_rules)
    return flag.value if flag else None


def ticket_json(ticket: Ticket, viewer: User, policy: Policy, *, events: bool = True,
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ticket as the viewer may see it (times in the policy's zone)."""
    tz = policy.tz
    caller = caller_view(ticket, viewer)  # 保密 and the unit's masked phone
    body: dict[str, Any] = {
        "number": ticket.number,
        "status": ticket.status.value,
        "appeal_type": ticket.appeal_type.value,
        "urgency": ticket.urgency.value,
        "channel": ticket.channel.value,
        "channel_host": ticket.channel_host,
        "title": ticket.title,
        "content": ticket.content,
        "address": caller.address,
        "district": ticket.district,
        "caller_name": caller.name,
        "caller_phone": caller.phone,
        "confidential": ticket.confidential,
        "enterprise": (
            {"name": ticket.enterprise_name, "credit_code": ticket.enterprise_credit_code}
            if ticket.is_enterprise else None
        ),
        "category": ticket.category.name if ticket.category else None,
        "department": department_json(ticket.department),
        "predicted": {
            "category": ticket.predicted_category,
            "department": department_json(ticket.predicted_department),
            "probability": ticket.predicted_probability,
            "model_version": ticket.model_version,
            "candidates": ticket.route_candidates or [],
        },
        "routing_note": ticket.routing_note,
        "reply": ticket.reply,
        "resolved_on_call": ticket.resolved_on_call,
        "sign_by": iso(ticket.sign_by, tz),
        "reply_by": iso(ticket.reply_by, tz),
        "signed_at": iso(ticket.signed_at, tz),
        "replied_at": iso(ticket.replied_at, tz),
        "closed_at": iso(ticket.closed_at, tz),
        "reopen_count": ticket.reopen_count,
        "return_count": ticket.return_count,
        "extension_count": ticket.extension_count,
        "repeat_of": ticket.repeat_of.number if ticket.repeat_of else None,
        "repeat_count": ticket.repeat_count,
        "difficult": ticket.difficult,
        "solved": ticket.solved,
        "satisfaction": ticket.satisfaction.value if ticket.satisfaction else None,
        "callback_unreachable": ticket.callback_unreachable,
        "callback_due_at": iso(ticket.callback_due_at, tz),
        # 红绿黑旗 at this request's moment (the stored column is only as fresh as the last daily job).
        "flag": _flag(ticket, policy),
        "created_at": iso(ticket.created_at, tz),
        "paused": pauses.paused_json(ticket, tz),  # 挂起: {since, until, reason, note} while the clock stands still
        "emergency": emergency.emergency_json(ticket, tz),  # handed to 110 / 119 / 120 / 122 …
        **coordination_json(ticket, tz),
    }
    if extra:
        body.update(extra)
    if events:
        body["events"] = [event_json(e, tz) for e in ticket.events]
    return body
