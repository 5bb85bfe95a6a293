"""话务员: the call entry page, with live suggestions while the operator types."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from models import AppealType, Channel, KBEntry, Role, Ticket, Urgency

from ..db import get_session
from ..routing_setup import get_engine, get_kb
from ..services.intake import NewTicket, create_ticket
from ..services.repeats import find_repeats
from .auth import current_user, login_required
from .common import local, now, perform, policy
from .forms import CallForm
from .labels import label

bp = Blueprint("operator", __name__, url_prefix="/operator")

MIN_SUGGEST_CHARS = 4  # fewer characters say too little to route or search on


def _call_form() -> CallForm:
    """The call form with the districts the gazetteer knows."""
    form = CallForm()
    form.district.choices = [("", "自动识别"), *((d, d) for d in get_engine().gazetteer.districts)]
    return form


def _new_ticket(form: CallForm) -> NewTicket:
    """The validated form as the intake service's input; a knowledge-base answer makes it 即来即办."""
    reply, resolved = form.reply.data or "", bool(form.resolved_on_call.data)
    if form.kb_entry.data:
        entry = get_session().get(KBEntry, form.kb_entry.data)
        if entry is not None and entry.active:
            reply, resolved = reply or entry.answer, True
    return NewTicket(
        content=form.content.data, caller_phone=form.caller_phone.data, appeal_type=AppealType(form.appeal_type.data),
        caller_name=form.caller_name.data or "", address=form.address.data or "",
        urgency=Urgency(form.urgency.data), channel=Channel(form.channel.data), district=form.district.data or None,
        enterprise_name=form.enterprise_name.data or None,
        enterprise_credit_code=form.enterprise_credit_code.data or None,
        resolved_on_call=resolved, reply=reply,
    )


@bp.route("/", methods=["GET", "POST"])
@login_required(Role.OPERATOR)
def call():
    """One form for a call; on success show the ticket number to read to the citizen."""
    form = _call_form()
    status = 200
    if form.validate_on_submit():
        created: list[Ticket] = []
        error = perform(lambda: created.append(create_ticket(
            get_session(), _new_ticket(form), current_user(), get_engine(), policy(), now())), form)
        if error is None:
            # Post/redirect/get: a reload cannot register the call twice.
            return redirect(url_for(".call", created=created[0].number))
        status = error.status
    elif form.is_submitted():
        status = 400
    created_ticket = None
    if number := request.args.get("created"):
        created_ticket = get_session().scalar(select(Ticket).where(Ticket.number == number))
    return render_template("operator/call.html", form=form, created=created_ticket), status


@bp.post("/suggest")
@login_required(Role.OPERATOR)
def suggest():
    """What the page shows while the operator types: route, district, knowledge-base answers, repeats."""
    body = request.get_json(silent=True) or {}
    content = str(body.get("content") or "")[: current_app.config["MAX_CONTENT_CHARS"]].strip()
    address = str(body.get("address") or "")[:200].strip()
    phone = str(body.get("caller_phone") or "")[:20].strip()
    engine, session = get_engine(), get_session()
    district = str(body.get("district") or "") or None
    if district not in engine.gazetteer.districts:
        district = None
    district = district or engine.gazetteer.extract(address, content)
    answer: dict = {"district": district, "candidates": [], "kb": [], "similar": [], "model": None, "reason": ""}
    if len(content) < MIN_SUGGEST_CHARS:
        return jsonify(answer)
    route = engine.route(session, content, address, district)
    answer.update(model=route.model_version, reason=route.reason, auto_dispatch=route.auto_dispatch, candidates=[
        {"category": c.category, "department": c.department.name if c.department else None,
         "probability": round(c.probability, 3)}
        for c in route.candidates
    ])
    answer["kb"] = [
        {"id": hit.entry.id, "question": hit.entry.question, "answer": hit.entry.answer,
         "department": hit.entry.department, "source": hit.entry.source}
        for hit in get_kb().search(session, content, limit=3)
    ]
    repeats = find_repeats(session, caller_phone=phone, content=content, district=district, now=now(),
                           rules=policy().repeat_rules, limit=3)
    answer["similar"] = [
        {"number": s.ticket.number, "title": s.ticket.title, "reason": label(s.reason, "repeat_reason"),
         "similarity": round(s.similarity, 2), "status": label(s.ticket.status, "status"),
         "created_at": local(s.ticket.created_at), "repeat_count": s.ticket.repeat_count,
         "url": url_for("tickets.detail", number=s.ticket.number)}
        for s in repeats
    ]
    return jsonify(answer)
