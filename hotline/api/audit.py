"""GET /admin/audit: the audit trail of admin changes, filtered and paged."""
from __future__ import annotations

from flask import jsonify, request
from models import AuditEntry, Role

from ..auth import api_login_required
from ..db import get_session
from ..services import audit
from ..services.errors import InvalidInput
from . import bp
from .common import paged
from . import responses
from .openapi import PAGE, choice, param, register


def entry_json(entry: AuditEntry) -> dict:
    """One audit row."""
    return {"id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor_name or None, "action": entry.action,
            "entity": entry.entity, "entity_id": entry.entity_id, "before": entry.before, "after": entry.after}


@bp.get("/admin/audit")
@api_login_required(Role.ADMIN)
def audit_log():
    """Who changed what, when, from what to what (?entity=users&actor=admin&entity_id=3), newest first."""
    entity = request.args.get("entity") or None
    if entity is not None and entity not in audit.ENTITIES:
        raise InvalidInput("bad_choice", field="entity", name="entity", allowed=list(audit.ENTITIES))
    rows, meta = paged(audit.entries(get_session(), entity=entity, actor=request.args.get("actor") or None,
                                     entity_id=request.args.get("entity_id") or None))
    return jsonify(items=[entry_json(e) for e in rows], **meta)


register("get", "/admin/audit", "The audit trail of admin changes, newest first", "admin",
         query=(param("entity", choice(audit.ENTITIES)), param("actor", {"type": "string"}, "a username"),
                param("entity_id", {"type": "string"}), *PAGE),
         response=responses.AuditPage)
