"""Domain errors: a stable code, its parameters and the field at fault; the English text is built from the code.

Raise ``InvalidTransition("return_limit_reached", number=t.number, count=2, limit=2)``: the code must be one
of the class's ``messages`` (a test checks every raise site), whose template the parameters fill in. The API
returns the code, the English message and the parameters; the pages say the same in Chinese from
``hotline/web/messages.py``, keyed by the same code.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Formatter
from typing import ClassVar, NamedTuple

Param = str | int | float | bool | None | Sequence[str]


def render(template: str, params: Mapping[str, Param], *, join: str = ", ") -> str:
    """Fill a message template with the parameters; a list parameter is written out joined by `join`."""
    values = {name: join.join(map(str, value)) if isinstance(value, list | tuple) else value
              for name, value in params.items()}
    return template.format_map(values)


def placeholders(template: str) -> set[str]:
    """The parameter names a message template uses."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class DomainError(Exception):
    """A request the domain refuses, with a stable code, its parameters and the input at fault (if any)."""

    status: ClassVar[int] = 400
    # code → English message template over the parameters; each class lists the codes it may carry.
    # A too-short history is no longer an error: the retrain records a skipped decision (services/retrain.py).
    messages: ClassVar[dict[str, str]] = {}

    def __init__(self, code: str, /, *, field: str | None = None, **params: Param):
        template = vars(type(self)).get("messages", {}).get(code)
        if template is None:  # a programming error, caught by the raise-site test
            raise ValueError(f"{type(self).__name__} has no error code {code!r}")
        self.code, self.field, self.params = code, field, params
        self.message = render(template, params)
        super().__init__(self.message)


class InvalidInput(DomainError):
    """A field's value is missing or wrong."""

    messages = {
        "required": "{name} must not be empty",
        "too_long": "{name} is longer than {limit} characters",
        "bad_format": "{name} must look like {example}, got '{value}'",
        "impossible_date": "{name} must look like {example}, got '{value}': {problem}",
        "bad_choice": "{name} must be one of: {allowed}",
        "whole_number_required": "{name} must be a whole number",
        "too_small": "{name} must be at least {minimum}",
        "out_of_range": "{name} must be between {minimum} and {maximum}",
        "json_body_required": "send the body as JSON (Content-Type: application/json)",
        "unknown_department": "unknown department '{value}'",
        "unknown_category": "unknown category '{value}'",
        "unknown_district": "unknown district '{value}'",
        "already_taken": "{name} {value} is already taken",
        "year_out_of_range": "{name}: year {year} is out of range",
        "period_not_started": "{period} has not started yet",
        "period_not_over": "{period} is not over yet (it ends {ends}); its live figures can be shown",
        "daily_job_today_only": "the daily job runs for today ({today}) only, not {period}",
        "unknown_job": "unknown job '{value}'; expected one of {allowed}",
        "retrain_needs_models": "the retrain job needs the model in service, the bundled data and the model folder",
        "live_or_revision": "ask for the live figures or for a revision, not both",
        "phone_search_not_allowed": "departments cannot search by phone",
        "on_call_reply_required": "reply is required when the call was resolved on the spot",
        "return_reason_required": "a return needs a reason",
        "extension_reason_required": "an extension needs a reason",
        "extension_days_out_of_range": "working_days must be between 1 and {limit}",
        "reply_required": "reply must not be empty",
        "merge_into_itself": "a ticket cannot be merged into itself ({number})",
        "difficult_reason_required": "flagging a ticket as difficult needs a reason",
        "callback_solved_required": "solved is required when the caller was reached",
        "callback_satisfaction_required": "satisfaction is required when the caller was reached",
        "bad_credit_code": "'{value}' is not a unified social credit code (18 characters)",
        "resolution_required": "closing a supervision case needs a written resolution",
        "own_parent": "a unit cannot be its own parent",
        "department_user_needs_department": "a department user needs a department",
        "rule_exists": "a rule for this category and district already exists",
        "bad_time_limit": "invalid time limit '{value}'",
        "model_unloadable": "model {version} cannot be loaded: {problem}",
        "kb_entry_inactive": "no active knowledge-base entry {id}",
        "json_too_deep": "the JSON body is nested too deeply",
        "unstorable_character": "{name} contains a character that cannot be stored (NUL or a lone surrogate)",
        "schedule_bad_line": "line {line}: '{text}' is not “YYYY-MM-DD[~YYYY-MM-DD] 休|班 [note]”",
        "schedule_no_such_day": "line {line}: '{text}' names a day that does not exist",
        "schedule_outside_year": "line {line}: '{text}' is not a range of days in {year}",
        "schedule_day_twice": "line {line}: {day} is listed twice",
        "schedule_empty": "the schedule of {year} lists no day",
        "self_demotion": "you cannot take away your own admin role or deactivate yourself",
        # the interfaces to citizens and other systems
        "secret_too_short": "a webhook needs a secret of at least {minimum} characters to sign its body",
        "unknown_service": "unknown service_code '{value}'",
        "date_range_too_wide": "end_date must follow start_date by at most {days} days",
        "file_too_large": "{name} is larger than {limit} MB",
        "too_many_attachments": "a ticket holds at most {limit} attachments",
        "unsupported_file": "file must be a photo (JPEG, PNG, GIF, WebP) or a PDF",
        "media_url_not_public": "media_url must point at a public address",
        "callback_phone_required": "phone is required: the hotline calls every citizen back",
        "lat_long_together": "lat and long go together",
        "location_required": "a location is required: lat and long, or address_string",
        # 申诉/核减
        "not_counted_in_period": "ticket {number} does not count for your unit in {period}",
        "item_not_counted": "ticket {number} has no {item} counted against your unit",
        "channel_host_required": "channel_host (the leader or the event) is required for the {channel} channel",
        "channel_host_not_allowed": "channel_host is only for the leader_day and entrepreneur_day channels, not {channel}",
        "unknown_ticket": "no ticket {value}",
        "deadline_in_past": "deadline {deadline} must be later than now",
        # 分级解决, handlers inside a unit
        "grade_a_on_call_only": "grade A is for a call answered on the spot (resolved_on_call or kb_entry)",
        "grade_on_call_is_a": "a call answered on the spot is grade A, not {grade}",
        "co_units_required": "grade C needs at least one co-handling unit in co_units",
        "co_units_only_for_c": "lead and co_units go with grade C only",
        "co_unit_is_lead": "{code} is the lead unit: it cannot co-handle its own ticket",
        "lead_not_ticket_unit": "the lead unit is the unit the ticket is dispatched to ('{current}'), not '{code}'; "
                                "reassign the ticket to change it",
        "handler_or_round_robin": "give either username or round_robin: true",
        "handler_not_in_unit": "'{username}' is not an active handler of unit {department}",
        # practices from the field (保密, return reasons, 整改清单)
        "step_action_required": "rectification step {index} needs an action",
        # one's own password
        "wrong_password": "the current password is wrong",
        "password_too_short": "the new password needs at least {minimum} characters",
        "password_unchanged": "the new password must differ from the current one",
        "too_many_selected": "select at most {limit} at once",
    }


class NotFound(DomainError):
    """The thing asked for does not exist (or is not this user's to see)."""

    status = 404
    messages = {
        "ticket_not_found": "no ticket {number}",
        "record_not_found": "no {kind} {id}",
        "model_version_not_found": "no model version {version}",
        "enterprise_not_found": "no appeals of enterprise {code}",
        "supervision_case_not_found": "no supervision case {id}",
        "override_not_found": "no override for {day}",
        "revision_not_found": "the {kind} report {period} has no revision {revision}",
        "service_not_found": "no service with service_code '{code}'",
        "service_request_not_found": "no service request {number}",
        "open311_token_not_found": "no token {token}",
        "no_matching_ticket": "no ticket matches this number and phone",
        "batch_not_found": "no batch {id}",
    }


class Unauthorized(DomainError):
    """No valid credentials."""

    status = 401
    messages = {
        "token_missing": "send Authorization: Bearer <token> (POST /api/v1/auth/token)",
        "token_expired": "token expired; log in again",
        "token_invalid": "invalid token",
        "wrong_credentials": "wrong username or password",
    }


class Forbidden(DomainError):
    """The user's role may not do this."""

    status = 403
    messages = {
        "role_required": "this needs the role {roles}; you are {role}",
        "api_key_unknown": "api_key is missing or not known",
        "identity_hidden_from_units": "ticket {number}'s caller is confidential: no unit may see who called",
        "password_change_required": "your password is a one-time password: set your own first "
                                    "(POST /api/v1/auth/password)",
    }


class InvalidTransition(DomainError):
    """The ticket (or case) is not in a state that allows this action."""

    status = 409
    messages = {
        "action_not_allowed": "ticket {number} is {status}: '{action}' is not allowed in that state",
        "return_limit_reached": "ticket {number} was already returned {count} times (at most {limit}); "
                                "it must be handled",
        "return_past_sign_limit": "ticket {number} is past its sign limit ({sign_by}): it can no longer be "
                                  "returned; handle it or ask the dispatcher to reassign it",
        "extension_already_requested": "ticket {number} already had its extension request in this handling round",
        "no_pending_extension": "ticket {number} has no pending extension request",
        "already_difficult": "ticket {number} is already flagged as difficult",
        "supervision_case_closed": "supervision case {id} is already closed",
        "supervision_no_responsible": "supervision case {id} names no responsible person yet (责任清单)",
        "supervision_steps_pending": "supervision case {id} has rectification steps not done: {steps}",
        "publish_conflict": "another revision of {period} was published at the same moment; publish again",
        "outbox_not_dead": "outbox message {id} is {status}, not dead",
        # 挂起
        "already_paused": "ticket {number} is already paused",
        "pause_already_pending": "ticket {number} already has a pause request waiting for a decision",
        "no_pending_pause": "ticket {number} has no pending pause request",
        "not_paused": "ticket {number} is not paused",
        # 申诉/核减
        "report_not_published": "the monthly report {period} is not published yet: there is nothing to appeal",
        "appeal_window_closed": "appeals against {period} closed at {closed}",
        "count_appeal_exists": "the {item} of ticket {number} is already appealed (appeal {id})",
        "count_appeal_decided": "appeal {id} is already {status}",
        "batch_ticket_busy": "ticket {number} is being handled by another unit ({status}); it cannot be handed over",
        "batch_ticket_closed": "ticket {number} is closed; a batch hands over open work only",
        "ticket_in_open_batch": "ticket {number} is already in open batch {batch}",
        "batch_already_closed": "batch {id} is already closed",
        "batch_tickets_open": "batch {id} still has {count} open tickets; it closes (销号) once every ticket is closed",
        "no_pending_revisit": "ticket {number} is not on the re-visit list",
        "grade_unchanged": "ticket {number} already is grade {grade} with these co-handling units",
        "not_a_co_unit": "unit {department} does not co-handle ticket {number}",
        "co_unit_already_replied": "unit {department} already replied its part of ticket {number}",
        "handler_unchanged": "ticket {number} is already handled by {username}",
        "no_active_handler": "unit {department} has no active handler to give ticket {number} to",
        "notes_closed": "ticket {number} is closed: it takes no more notes",
        # practices from the field
        "callback_too_soon": "ticket {number}: the last unreached callback was at {last}; "
                             "try again from {next_at} (attempts at least {hours} hours apart)",
        "supervision_ticket_open": "supervision case {id}: ticket {number} is still {status}; "
                                   "say why the case closes anyway (open_ticket_reason)",
    }


class Conflict(InvalidTransition):
    """Someone else changed the ticket (or case) at the same moment, and won: reload and decide again."""

    messages = {
        "concurrent_change": "ticket {number} was changed by someone else at the same moment: it is now {status}; "
                             "reload it and try again",
        "supervision_concurrent_change": "supervision case {id} was changed by someone else at the same moment: "
                                         "it is now {status}; reload it and try again",
        "batch_concurrent_change": "batch {id} was changed by someone else at the same moment: it is now {status}; "
                                   "reload it and try again",
    }


# Failures the web layer meets before or around any service (werkzeug's HTTP errors, a body that fails its
# schema, a forged form, a crash): code → (HTTP status, English message); None: the HTTP error's own status.
REQUEST_ERRORS: dict[str, tuple[int | None, str]] = {
    "invalid_input": (400, "{name}: {problem}"),
    "bad_request": (400, "the request could not be understood"),
    "csrf_failed": (400, "the form's security token is missing or expired; reload the page and send it again"),
    "unauthorized": (401, "log in first"),
    "forbidden": (403, "you may not do this"),
    "not_found": (404, "nothing is at this address"),
    "method_not_allowed": (405, "this address does not accept the {method} method"),
    "request_entity_too_large": (413, "the request is too large"),
    "unsupported_media_type": (415, "this kind of content is not accepted here"),
    "too_many_requests": (429, "too many requests from this address; wait a minute and try again"),
    "too_many_logins": (429, "too many failed logins; try again in {seconds} seconds"),
    "database_unavailable": (503, "the database is unavailable; nothing was saved, please retry in a few seconds"),
    "http_error": (None, "the request failed (HTTP {status})"),
    "internal_error": (500, "an internal error occurred; nothing was saved"),
}


class ErrorCode(NamedTuple):
    """One entry of the code table: the code, its HTTP status, its English template and who raises it."""

    code: str
    status: int | None
    english: str
    kind: str


def _subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
    """`cls` and every class derived from it, parents first."""
    return [cls] + [sub for child in cls.__subclasses__() for sub in _subclasses(child)]


def _import_services() -> None:
    """Import every services module, so that error classes declared anywhere in them are registered."""
    import importlib
    import pkgutil

    import hotline.services as package

    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)


def registry() -> dict[str, ErrorCode]:
    """Every error code the service can answer with, domain errors first."""
    _import_services()
    table: dict[str, ErrorCode] = {}
    for cls in _subclasses(DomainError):
        for code, english in vars(cls).get("messages", {}).items():
            if code in table:
                raise RuntimeError(f"error code {code!r} is declared twice")
            table[code] = ErrorCode(code, cls.status, english, cls.__name__)
    for code, (status, english) in REQUEST_ERRORS.items():
        if code in table:
            raise RuntimeError(f"error code {code!r} is declared twice")
        table[code] = ErrorCode(code, status, english, "request")
    return table
