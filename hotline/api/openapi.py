"""The OpenAPI 3.1 document: request schemas come from the pydantic models the views validate with."""
from __future__ import annotations

import re
from functools import cache

from pydantic.json_schema import models_json_schema

from . import schemas as s

# (method, path, summary, roles, request body model or None)
OPERATIONS: list[tuple[str, str, str, str, type | None]] = [
    ("post", "/auth/token", "Log in: username and password for a bearer token", "anyone", s.TokenRequest),
    ("post", "/auth/password", "Change one's own password (a one-time password allows nothing else); "
     "returns a new token", "any role", s.PasswordChange),
    ("get", "/departments", "Departments with their codes", "any role", None),
    ("get", "/categories", "The category catalogue", "any role", None),
    ("post", "/route", "Top-3 categories and units for a text, with the district", "operator, dispatcher, admin",
     s.RouteRequest),
    ("post", "/tickets", "Register a call (201 with the ticket)", "operator", s.TicketCreate),
    ("get", "/tickets", "Tickets, filtered (?status=&appeal_type=&district=&department=&caller_phone=) and paged "
     "(?page=&per_page=)", "staff; departments see their own", None),
    ("get", "/tickets/{number}", "One ticket with its events", "staff; departments see their own", None),
    ("get", "/dispatch/queue", "Tickets waiting for manual dispatch", "dispatcher, supervisor, admin", None),
    ("post", "/tickets/{number}/assign", "Assign to a department", "dispatcher", s.AssignRequest),
    ("post", "/dispatch/bulk-assign", "Send several queued tickets to one department (all or none)", "dispatcher",
     s.BulkAssignRequest),
    ("get", "/department/tickets", "The unit's own tickets (?status=)", "department", None),
    ("post", "/tickets/{number}/sign", "Sign for the work order (签收)", "department", None),
    ("post", "/tickets/{number}/return", "Return a misrouted ticket (退单), before signing, at most twice",
     "department", s.ReasonRequest),
    ("post", "/tickets/{number}/extension", "Ask for the one extension (延期)", "department", s.ExtensionCreate),
    ("post", "/tickets/{number}/reply", "Reply with the result (办结回复)", "department", s.ReplyRequest),
    ("post", "/tickets/{number}/extension/approve", "Approve the pending extension", "supervisor",
     s.DecisionRequest),
    ("post", "/tickets/{number}/extension/reject", "Reject the pending extension", "supervisor", s.DecisionRequest),
    ("get", "/callbacks", "Replied tickets awaiting callback (回访)", "supervisor, admin", None),
    ("post", "/tickets/{number}/callback", "Record a callback: reached, solved, satisfaction", "supervisor",
     s.CallbackCreate),
    ("get", "/openapi.json", "This document", "anyone", None),
    ("post", "/tickets/similar", "Earlier tickets this appeal repeats (shown before saving)", "operator, dispatcher",
     s.SimilarRequest),
    ("get", "/kb/search", "Knowledge-base answers for ?q= (?limit=1..20)", "operator, dispatcher, supervisor, admin",
     None),
    ("post", "/kb/entries", "Add a knowledge-base entry", "admin", s.KBEntryWrite),
    ("put", "/kb/entries/{entry_id}", "Change a knowledge-base entry", "admin", s.KBEntryWrite),
    ("get", "/models", "Model versions with their metrics; the active one", "admin, supervisor", None),
    ("post", "/models/{version}/activate", "Put a model version in service on every host", "admin", None),
    ("get", "/alerts", "Hot-spot alerts", "supervisor, admin, dispatcher", None),
    ("post", "/alerts/acknowledge", "Mark several hot spots as seen (all or none)", "supervisor",
     s.BulkAcknowledgeRequest),
]

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


def register(method: str, path: str, summary: str, roles: str, body: type | None = None) -> None:
    """Let another module (reports, models, knowledge base) add its operations."""
    OPERATIONS.append((method, path, summary, roles, body))


@cache
def build_openapi() -> dict:
    """Assemble the document once per process."""
    models = sorted({op[4] for op in OPERATIONS if op[4] is not None}, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    paths: dict[str, dict] = {}
    for method, path, summary, roles, body in OPERATIONS:
        operation: dict = {
            "summary": summary,
            "description": f"Roles: {roles}.",
            "responses": {
                "200": {"description": "OK"},
                "400": {"$ref": "#/components/responses/Error"},
                "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"},
                "409": {"$ref": "#/components/responses/Error"},
            },
        }
        if roles != "anyone":
            operation["security"] = [{"bearer": []}]
        params = re.findall(r"{(\w+)}", path)
        if params:
            operation["parameters"] = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                                       for name in params]
        if body is not None:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{body.__name__}"}}}}
        paths.setdefault(f"/api/v1{path}", {})[method] = operation
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
