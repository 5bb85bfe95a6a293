"""The admin's holiday overrides and the time limits in force."""
from __future__ import annotations

from flask import current_app, jsonify, request

from models import CalendarOverride, Role

from ..auth import api_login_required
from ..db import get_session
from ..services import sla
from ..services.cycle import holidays
from ..services.errors import InvalidInput
from . import bp
from .common import parse_body, policy
from .cycle_schemas import HolidayRequest
from .meta import calendar_status
from . import responses
from .openapi import param, register


def override_json(override: CalendarOverride) -> dict:
    """One override."""
    return {"day": override.day.isoformat(), "is_workday": override.is_workday, "note": override.note}


@bp.get("/admin/holidays")
@api_login_required(Role.ADMIN)
def list_holidays():
    """The local overrides (?year=2026), and whether the library knows this year's schedule."""
    year = request.args.get("year")
    if year is not None and not (year.isascii() and year.isdigit() and len(year) == 4):
        raise InvalidInput("bad_format", field="year", name="year", example="2026", value=year)
    overrides = holidays.list_overrides(get_session(), int(year) if year else None)
    return jsonify(overrides=[override_json(o) for o in overrides], calendar=calendar_status())


@bp.post("/admin/holidays")
@api_login_required(Role.ADMIN)
def set_holiday():
    """Add or replace the override of a day (201 when new); deadlines set from now on follow it."""
    body = parse_body(HolidayRequest)
    session = get_session()
    override, created = holidays.set_override(session, body.day, body.is_workday, body.note)
    session.commit()
    return jsonify(override_json(override)), 201 if created else 200


@bp.delete("/admin/holidays/<day>")
@api_login_required(Role.ADMIN)
def delete_holiday(day: str):
    """Remove a day's override; the library's calendar applies to it again."""
    session = get_session()
    holidays.delete_override(session, holidays.parse_day(day))
    session.commit()
    return jsonify(deleted=day)


@bp.get("/admin/time-limits")
@api_login_required(Role.ADMIN, Role.SUPERVISOR)
def time_limits():
    """The time limits (the admin's saved ones, else configuration), working hours and cycle numbers in force."""
    rules = policy().cycle_rules
    return jsonify(
        time_limits={key: {phase: str(limit) for phase, limit in entry.items()}
                     for key, entry in policy().time_limits.items()},
        units=sla.UNITS,
        working_hours=list(current_app.config["WORKING_HOURS"]),
        timezone=policy().timezone,
        max_extension_working_days=policy().max_extension_working_days,
        max_callback_attempts=policy().max_callback_attempts,
        flags={"yellow_share": rules.yellow_share, "black_after_working_days": rules.black_after_working_days,
               "black_after_reopens": rules.black_after_reopens},
        callback_working_days=rules.callback_working_days,
        supervision={"repeat_min": rules.supervision_repeat_min,
                     "deadline_working_days": rules.supervision_deadline_working_days},
        assessment_weights=dict(rules.assessment_weights),
    )


register("get", "/admin/holidays", "Local calendar overrides and the calendar's status", "admin",
         query=(param("year", {"type": "string", "pattern": "^[0-9]{4}$"}, "e.g. 2026"),),
         response=responses.Holidays)
register("post", "/admin/holidays", "Add (201) or replace (200) a day's override {day: YYYY-MM-DD, is_workday, note}",
         "admin", HolidayRequest, response=responses.Override, status=(200, 201))
register("delete", "/admin/holidays/{day}", "Remove a day's override", "admin", response=responses.Deleted)
register("get", "/admin/time-limits", "Time limits, working hours and cycle settings in force", "admin, supervisor",
         response=responses.TimeLimits)
