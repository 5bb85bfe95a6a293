"""The OpenAPI 3.1 document: every operation with its query parameters, request and response schemas and the
status codes it really answers. Request bodies come from the pydantic models the views validate with, response
bodies from hotline/api/responses.py; tests/hotline/api/test_fuzz.py holds the service to it with schemathesis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from models import AppealType, Channel, TicketStatus

from ..input_guard import MAX_ID
from . import responses as r
from . import schemas as s
from .common import MAX_PAGE


def param(name: str, schema: dict[str, Any], description: str = "", *, required: bool = False) -> dict[str, Any]:
    """One query parameter."""
    entry: dict[str, Any] = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        entry["description"] = description
    return entry


def whole(low: int, high: int) -> dict[str, Any]:
    """A whole number the views accept as ASCII digits between `low` and `high`."""
    return {"type": "integer", "minimum": low, "maximum": high}


def choice(values) -> dict[str, Any]:
    """One of `values` (an enum's members stand for their values)."""
    return {"type": "string", "enum": [getattr(v, "value", str(v)) for v in values]}


def choices(enum_type) -> dict[str, Any]:
    """?name=a,b: a comma-separated list of the enum's values."""
    one = "|".join(m.value for m in enum_type)
    return {"type": "string", "pattern": f"^(?:(?:{one})(?:,(?:{one}))*)?$",
            "description": "comma-separated: " + ", ".join(m.value for m in enum_type) + "; empty: any"}


PAGE = (param("page", whole(1, MAX_PAGE), "from 1"), param("per_page", whole(1, 100), "1–100, default 20"))
FLAG_ARG = choice(["1", "0", "true", "false"])
REVISION = param("revision", whole(1, MAX_ID), "a published revision (not with live=1)")
REPORT_QUERY = (param("live", FLAG_ARG, "1: the live figures even when published"), REVISION,
                param("format", choice(["json", "csv", "xlsx", "html"]), "json by default"))
DAY = {"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"}
AFTER = param("after", {"type": "string"}, "the last ticket number of the previous page (keyset paging)")
KEYSET_ERRORS = (400, 401, 403, 404, 503)  # 404: no such ticket to page after
DOWNLOADS = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/html")


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the document tells it."""

    method: str
    path: str
    summary: str
    roles: str
    body: type[BaseModel] | None = None
    query: tuple[dict[str, Any], ...] = ()
    response: type[BaseModel] | dict[str, Any] | None = None
    status: tuple[int, ...] = (200,)  # the success statuses
    media: tuple[str, ...] = ("application/json",)  # the success body's types
    errors: tuple[int, ...] | None = None  # None: worked out from the operation (see _errors)
    headers: dict[str, Any] = field(default_factory=dict)
    form: dict[str, Any] | None = None  # a multipart body's schema, for uploads


OPERATIONS: list[Operation] = [
    Operation("post", "/auth/token", "Log in: username and password for a bearer token", "anyone", s.TokenRequest,
              response=r.Token, errors=(400, 401, 413, 415, 429, 503)),
    Operation("get", "/departments", "Departments with their codes", "any role", response=r.Departments),
    Operation("get", "/categories", "The category catalogue", "any role", response=r.Categories),
    Operation("post", "/route", "Top-3 categories and units for a text, with the district",
              "operator, dispatcher, admin", s.RouteRequest, response=r.RouteAnswer),
    Operation("post", "/tickets", "Register a call (201 with the ticket; an Idempotency-Key replay answers the "
              "first ticket again with Idempotent-Replayed: true)", "operator", s.TicketCreate,
              response=r.TicketWithEvents, status=(201,),
              headers={"Idempotency-Key": {"in": "header", "required": False, "schema": {"type": "string",
                                                                                         "maxLength": 100}}}),
    Operation("get", "/tickets", "Tickets found by ?q= (a number or its start, a phone or its start or last digits, "
              "a caller's name, words of title, content and address) and filtered, newest first, paged (at most "
              "25 pages, or by keyset ?after=<number>; the count stops at a cap: capped)",
              "staff; departments see their own (never by phone)",
              query=(param("q", {"type": "string", "maxLength": 100}, "the search box"),
                     param("status", choices(TicketStatus)), param("appeal_type", choices(AppealType)),
                     param("channel", choices(Channel)), param("category", {"type": "string"}, "a category's name"),
                     param("flag", choice(["green", "yellow", "red", "black"]), "the flag at this moment"),
                     param("created_from", DAY, "YYYY-MM-DD; empty: no bound"),
                     param("created_to", DAY, "YYYY-MM-DD; empty: no bound"),
                     param("district", {"type": "string"}), param("department", {"type": "string"}, "a unit's code"),
                     param("caller_phone", {"type": "string"}),
                     param("page", whole(1, 25), "from 1, at most 25"), PAGE[1], AFTER),
              response=r.TicketPage, errors=KEYSET_ERRORS),
    Operation("get", "/tickets/{number}", "One ticket with its events", "staff; departments see their own",
              response=r.TicketWithEvents),
    Operation("get", "/dispatch/queue", "Tickets waiting for manual dispatch", "dispatcher, supervisor, admin",
              query=PAGE, response=r.TicketPage),
    Operation("post", "/tickets/{number}/assign", "Assign to a department", "dispatcher", s.AssignRequest,
              response=r.TicketWithEvents),
    Operation("get", "/department/tickets", "The unit's own tickets and those it co-handles, newest first, paged "
              "(?page= or ?after=<number>)", "department",
              query=(param("status", choices(TicketStatus)),
                     param("handler", choice(["me", "none"]), "me: mine; none: no handler yet"), *PAGE, AFTER),
              response=r.TicketPage, errors=KEYSET_ERRORS),
    Operation("post", "/tickets/{number}/sign", "Sign for the work order (签收)", "department",
              response=r.TicketWithEvents),
    Operation("post", "/tickets/{number}/return", "Return a misrouted ticket (退单), before signing, at most twice; "
              "reason_code one of not_ours, wrong_district, needs_several_units, other (default), plus the reason in "
              "words", "department", s.ReturnRequest, response=r.TicketWithEvents),
    Operation("post", "/tickets/{number}/extension", "Ask for the one extension (延期)", "department",
              s.ExtensionCreate, response=r.TicketWithEvents),
    Operation("post", "/tickets/{number}/reply", "Reply with the result (办结回复)", "department", s.ReplyRequest,
              response=r.TicketWithEvents),
    Operation("post", "/tickets/{number}/extension/approve", "Approve the pending extension", "supervisor",
              s.DecisionRequest, response=r.TicketWithEvents),
    Operation("post", "/tickets/{number}/extension/reject", "Reject the pending extension", "supervisor",
              s.DecisionRequest, response=r.TicketWithEvents),
    Operation("get", "/callbacks", "Replied tickets awaiting callback (回访)", "supervisor, admin", query=PAGE,
              response=r.TicketPage),
    Operation("post", "/tickets/{number}/callback", "Record a callback: reached, solved, satisfaction", "supervisor",
              s.CallbackCreate, response=r.TicketWithEvents),
    Operation("get", "/openapi.json", "This document", "anyone", response=r.Document, errors=()),
    Operation("post", "/tickets/similar", "Earlier tickets this appeal repeats (shown before saving)",
              "operator, dispatcher", s.SimilarRequest, response=r.SimilarAnswer),
    Operation("get", "/kb/search", "Knowledge-base answers for ?q=", "operator, dispatcher, supervisor, admin",
              query=(param("q", {"type": "string"}, "what the operator typed; at most MAX_CONTENT_CHARS"),
                     param("limit", whole(1, 20), "1–20, default 5")),
              response=r.KBHits),
    Operation("post", "/kb/entries", "Add a knowledge-base entry", "admin", s.KBEntryWrite, response=r.KBEntry,
              status=(201,)),
    Operation("put", "/kb/entries/{entry_id}", "Change a knowledge-base entry", "admin", s.KBEntryWrite,
              response=r.KBEntry),
    Operation("get", "/models", "Model versions with their metrics; the active one", "admin, supervisor",
              response=r.Models),
    Operation("post", "/models/{version}/activate", "Put a model version in service on every host", "admin",
              response={"type": "object"}),
    Operation("get", "/alerts", "Hot-spot alerts", "supervisor, admin, dispatcher", query=PAGE, response=r.Alerts),
    Operation("post", "/auth/password", "Change one's own password (a one-time password allows nothing else); "
              "returns a new token", "any role", s.PasswordChange, response=r.Token),
    Operation("post", "/dispatch/bulk-assign", "Send several queued tickets to one department (all or none)",
              "dispatcher", s.BulkAssignRequest, errors=(400, 401, 403, 404, 409, 413, 415, 503),
              response={"type": "object", "required": ["assigned", "department"]}),
    Operation("post", "/alerts/acknowledge", "Mark several hot spots as seen (all or none)", "supervisor",
              s.BulkAcknowledgeRequest, response={"type": "object"}, errors=(400, 401, 403, 404, 409, 413, 415, 503)),
]


def register(method: str, path: str, summary: str, roles: str, body: type | None = None, **details: Any) -> None:
    """Let another module (reports, models, knowledge base) add its operations (see Operation for `details`)."""
    OPERATIONS.append(Operation(method, path, summary, roles, body, **details))


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a stable code (the table in docs/architecture.md)"},
        "message": {"type": "string", "description": "English, built from the code and its params"},
        "field": {"type": "string", "description": "the input at fault"},
        "params": {"type": "object", "description": "the values the message names, e.g. {\"limit\": 15}"},
        "details": {"type": "array", "items": {"type": "object"}},
    },
}

WRITES = {"post", "put", "patch", "delete"}


def _errors(op: Operation) -> tuple[int, ...]:
    """What the service answers besides success: bad input (400), no or a wrong role (401, 403), a missing
    resource (404), a state that refuses the action (409), a body too big (413) or not JSON (415), the
    database down (503)."""
    if op.errors is not None:
        return op.errors
    codes = {400, 503}
    if op.roles != "anyone":
        codes |= {401, 403}
    if "{" in op.path:
        codes.add(404)
    if "_id}" in op.path:
        codes.add(405)  # an id beyond a database integer matches no rule of that method
    if op.method in WRITES:
        codes |= {409, 413}
        if op.body is not None or op.form is not None:
            codes.add(415)
    return tuple(sorted(codes))


PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "number": {"type": "string", "description": "a ticket number, e.g. 2026111600001"},
    "period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "a month, YYYY-MM"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
    "day": {"type": "string", "format": "date"},
    "credit_code": {"type": "string", "description": "a unified social credit code (18 characters)"},
    "version": {"type": "string", "description": "a model version"},
}


def _path_parameters(path: str) -> list[dict[str, Any]]:
    """{name} segments; ids are database integers."""
    found = []
    for name in re.findall(r"{(\w+)}", path):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if name.endswith("_id") else PATH_SCHEMAS[name]
        found.append({"name": name, "in": "path", "required": True, "schema": schema})
    return found


def _success(op: Operation, schema_of) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for media in op.media:
        if media == "application/json":
            content[media] = {"schema": schema_of(op.response) if op.response is not None else {}}
        else:
            content[media] = {"schema": {"type": "string", "format": "binary"}}
    answer: dict[str, Any] = {"description": "OK" if 201 not in op.status else "Created", "content": content}
    return answer


@cache
def build_openapi() -> dict:
    """Assemble the document once per process."""
    models = {op.body for op in OPERATIONS if op.body is not None}
    outputs = {op.response for op in OPERATIONS if isinstance(op.response, type)}
    pairs = [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)]
    pairs += [(m, "serialization") for m in sorted(outputs, key=lambda m: m.__name__)]
    refs, defs = models_json_schema(pairs, ref_template="#/components/schemas/{model}")

    def schema_of(model) -> dict[str, Any]:
        if isinstance(model, dict):
            return model
        return refs[(model, "serialization")]

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        answers = {str(code): _success(op, schema_of) for code in op.status}
        answers |= {str(code): {"$ref": "#/components/responses/Error"} for code in _errors(op)}
        operation: dict = {"summary": op.summary, "description": f"Roles: {op.roles}.", "responses": answers}
        if op.roles != "anyone":
            operation["security"] = [{"bearer": []}]
        parameters = _path_parameters(op.path) + list(op.query)
        parameters += [{"name": name, **spec} for name, spec in op.headers.items()]
        if parameters:
            operation["parameters"] = parameters
        if op.form is not None:
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": op.form}}}
        if op.body is not None:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        paths.setdefault(f"/api/v1{op.path}", {})[op.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "12345 hotline API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {**defs.get("$defs", {}), "Error": ERROR_SCHEMA},
            "responses": {"Error": {"description": "An error naming the field at fault",
                                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
