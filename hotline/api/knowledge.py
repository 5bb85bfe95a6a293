"""Knowledge base: search (operators, on the call) and entries (admins)."""
from __future__ import annotations

from flask import jsonify, request

from models import Role

from .. import clock
from ..auth import api_login_required
from ..db import get_session
from ..routing_setup import get_kb
from ..services.errors import InvalidInput
from ..services.knowledge import save_entry
from . import bp
from .common import current_user, parse_body, policy
from .schemas import KBEntryWrite



@bp.get("/kb/search")
@api_login_required(Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)
def kb_search():
    """Entries answering ?q=, best first (?limit=, 1–20, default 5)."""
    query = request.args.get("q", "")
    # The query is what the operator typed of the appeal: the content's limit (MAX_CONTENT_CHARS) bounds it.
    if len(query) > policy().max_content_chars:
        raise InvalidInput("too_long", field="q", name="q", limit=policy().max_content_chars)
    try:
        limit = int(request.args.get("limit", 5))
    except ValueError:
        raise InvalidInput("whole_number_required", field="limit", name="limit") from None
    if not 1 <= limit <= 20:
        raise InvalidInput("out_of_range", field="limit", name="limit", minimum=1, maximum=20)
    results = get_kb().search(get_session(), query, limit, min_score=policy().learning_rules.kb_min_score)
    return jsonify(results=[
        {"id": r.entry.id, "question": r.entry.question, "answer": r.entry.answer,
         "department": r.entry.department, "source": r.entry.source, "score": round(r.score, 4)}
        for r in results
    ])


def _entry_json(entry) -> dict:
    return {"id": entry.id, "question": entry.question, "answer": entry.answer, "department": entry.department,
            "source": entry.source, "active": entry.active}


@bp.post("/kb/entries")
@api_login_required(Role.ADMIN)
def kb_create():
    """Add an entry."""
    body = parse_body(KBEntryWrite)
    entry = save_entry(get_session(), current_user(), clock.now(), **body.model_dump())
    get_session().commit()
    return jsonify(_entry_json(entry)), 201


@bp.put("/kb/entries/<int:entry_id>")
@api_login_required(Role.ADMIN)
def kb_update(entry_id: int):
    """Change an entry (or retire it with active=false)."""
    body = parse_body(KBEntryWrite)
    entry = save_entry(get_session(), current_user(), clock.now(), entry_id=entry_id, **body.model_dump())
    get_session().commit()
    return jsonify(_entry_json(entry))
