"""话务员: the call entry page, with live suggestions while the operator types."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from models import AppealType, Channel, KBEntry, Role, Ticket, TicketGrade, Urgency

from ..db import get_session
from ..routing_setup import get_engine, get_kb
from ..services import search, suggestions
from ..services.errors import DomainError
from ..services.intake import NewTicket, kb_entry_used, knowledge_answer, register_call
from .auth import current_user, login_required
from .common import local, now, page_error, perform, policy
from .forms import CallForm
from .labels import label
from .messages import zh_error, zh_note
from .dashboards import operator_panel

bp = Blueprint("operator", __name__, url_prefix="/operator")
CALLER_HISTORY = 5  # earlier tickets shown beside the form: enough to recognise a caller calling again


def _call_form() -> CallForm:
    """The call form with the districts the gazetteer knows."""
    form = CallForm()
    form.district.choices = [("", "自动识别"), *((d, d) for d in get_engine().gazetteer.districts)]
    form.emergency_service.choices = [("", "不转接"), *((s, label(s, "emergency_service"))
                                                      for s in policy().practice_rules.emergency_services)]
    return form


def _new_ticket(form: CallForm) -> NewTicket:
    """The validated form as the intake service's input; a confirmed knowledge-base answer makes it 即来即办."""
    return NewTicket(
        content=form.content.data, caller_phone=form.caller_phone.data, appeal_type=AppealType(form.appeal_type.data),
        caller_name=form.caller_name.data or "", address=form.address.data or "",
        urgency=Urgency(form.urgency.data), channel=Channel(form.channel.data), district=form.district.data or None,
        enterprise_name=form.enterprise_name.data or None,
        enterprise_credit_code=form.enterprise_credit_code.data or None,
        resolved_on_call=bool(form.resolved_on_call.data), reply=form.reply.data or "",
        kb_entry_id=form.kb_confirm.data, channel_host=form.channel_host.data or None,
        grade=TicketGrade(form.grade.data) if form.grade.data else None, confidential=bool(form.confidential.data),
        emergency=({"service": form.emergency_service.data, "note": form.emergency_note.data or ""}
                   if form.emergency_service.data else None),
    )


def _answer_to_confirm(form: CallForm) -> KBEntry | None:
    """The knowledge-base entry chosen with one click, to confirm; None (with a message) if it is gone."""
    try:
        return knowledge_answer(get_session(), form.kb_entry.data)
    except DomainError as exc:
        page_error(zh_error(exc))
        return None


@bp.route("/", methods=["GET", "POST"])
@login_required(Role.OPERATOR)
def call():
    """One form for a call; on success show the ticket number to read to the citizen.

    A knowledge-base answer chosen with one click is first shown for confirmation (即来即办 closes the call).
    """
    form = _call_form()
    status, confirm = 200, None
    if form.validate_on_submit() and form.kb_entry.data and not form.kb_confirm.data:
        confirm = _answer_to_confirm(form)
        status = 200 if confirm is not None else 400  # None: the entry is gone, and the page says so
    elif form.validate_on_submit():
        created: list[Ticket] = []
        error = perform(lambda: created.append(register_call(
            get_session(), _new_ticket(form), current_user(), get_engine(), policy(), now(),
            idempotency_key=form.idempotency_key.data or None).ticket), form)
        if error is None:
            # Post/redirect/get: a reload cannot register the call twice, nor can a second click (same key).
            return redirect(url_for(".call", created=created[0].number))
        status = error.status
    elif form.is_submitted():
        status = 400
    created_ticket = None
    if number := request.args.get("created"):
        created_ticket = search.by_number(get_session(), number)
    return render_template("operator/call.html", form=form, created=created_ticket, confirm=confirm,
                           kb_used=kb_entry_used(created_ticket) if created_ticket else None,
                           **operator_panel()), status


@bp.post("/suggest")
@login_required(Role.OPERATOR)
def suggest():
    """What the page shows while the operator types: route, district, knowledge-base answers, repeats."""
    body = request.get_json(silent=True) or {}
    found = suggestions.suggest(
        get_session(), get_engine(), get_kb(), policy(), now(), content=str(body.get("content") or ""),
        address=str(body.get("address") or ""), caller_phone=str(body.get("caller_phone") or ""),
        district=str(body.get("district") or "") or None)
    answer: dict = {"district": found.district, "candidates": [], "kb": [], "similar": [], "model": None, "reason": ""}
    if found.route is None:
        return jsonify(answer)
    route = found.route
    why = route.reason_note
    answer.update(model=route.model_version, reason=zh_note(why.as_data()) if why else "",
                  auto_dispatch=route.auto_dispatch)
    answer["candidates"] = [
        {"category": c.category, "department": c.department.name if c.department else None,
         "probability": c.probability}
        for c in route.candidates
    ]
    answer["kb"] = [
        {"id": hit.entry.id, "question": hit.entry.question, "answer": hit.entry.answer,
         "department": hit.entry.department, "source": hit.entry.source}
        for hit in found.kb
    ]
    answer["similar"] = [
        {"number": s.ticket.number, "title": s.ticket.title, "reason": label(s.reason, "repeat_reason"),
         "similarity": round(s.similarity, 2), "status": label(s.ticket.status, "status"),
         "created_at": local(s.ticket.created_at), "repeat_count": s.ticket.repeat_count,
         "url": url_for("tickets.detail", number=s.ticket.number)}
        for s in found.similar
    ]
    return jsonify(answer)


@bp.get("/caller-tickets")
@login_required(Role.OPERATOR)
def caller_tickets():
    """The caller's latest tickets for the phone being typed (the page asks as the number is typed)."""
    found = search.caller_history(get_session(), current_user(), request.args.get("phone", ""), CALLER_HISTORY)
    return jsonify({"items": [
        {"number": t.number, "title": t.title, "status": label(t.status, "status"), "created_at": local(t.created_at),
         "department": t.department.name if t.department else "", "url": url_for("tickets.detail", number=t.number)}
        for t in found
    ], "all": url_for("tickets.index", q=request.args.get("phone", "").strip()) if found else None})
