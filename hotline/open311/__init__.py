"""Open311 GeoReport v2 at /open311/v2/: the catalogue, requests in and out, tokens; JSON or XML by extension."""
from __future__ import annotations

import ipaddress
import logging
import socket
import urllib.parse
import urllib.request

from flask import Blueprint, current_app, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from models import AppealType

from .. import clock
from ..db import get_session
from ..routing_setup import get_engine
from ..services import attachments, open311
from ..services.attachments import megabytes
from ..services.errors import DomainError, InvalidInput
from ..services.intake import NewTicket, register_call
from ..services.policy import load_policy
from ..uploads import attachment_rules, read_upload
from .formats import error, render

log = logging.getLogger(__name__)

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FMT = "<any(json, xml):fmt>"


def _fmt() -> str:
    """The format the path asked for (JSON when it names neither)."""
    return "xml" if request.path.endswith(".xml") else "json"


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    return error(exc.status if exc.status in (400, 403, 404) else 400, exc.message, _fmt())


@bp.errorhandler(ValidationError)
def _validation_error(exc: ValidationError):
    return error(400, str(exc.errors(include_url=False)[0]["msg"]), _fmt())


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error(exc.code or 400, exc.description or exc.name, _fmt())


@bp.get(f"/services.{FMT}")
def services(fmt: str):
    """The catalogue: every active category is a service."""
    return render("services", [
        {"service_code": str(c.id), "service_name": c.name, "description": c.description or c.name,
         "metadata": True, "type": "realtime", "keywords": "", "group": ""}
        for c in open311.services(get_session())
    ], fmt)


@bp.get(f"/services/<code>.{FMT}")
def service_definition(code: str, fmt: str):
    """A service's definition: the one attribute asked, the appeal type."""
    category = open311.service(get_session(), code)
    values = [{"key": t.value, "name": name} for t, name in open311.APPEAL_TYPE_NAMES.items()]
    return render("definition", {"service_code": str(category.id), "attributes": [
        {"variable": True, "code": "appeal_type", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "诉求类型（默认投诉）", "order": 1, "description": "诉求类型", "values": values},
    ]}, fmt)


def _number(field: str) -> float | None:
    """An optional decimal form field, or a 400 naming it."""
    value = request.form.get(field, "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput("bad_format", field=field, name=field, example="26.89", value=value[:40]) from None


def _appeal_type() -> AppealType:
    value = request.form.get("attribute[appeal_type]", "").strip() or AppealType.COMPLAINT.value
    try:
        return AppealType(value)
    except ValueError:
        raise InvalidInput("bad_choice", field="attribute[appeal_type]", name="attribute[appeal_type]",
                           allowed=[t.value for t in AppealType]) from None


def _fetch_media(url: str) -> bytes | None:
    """The bytes behind media_url (http or https, within the size limit); None if it can't be fetched."""
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("bad_format", field="media_url", name="media_url", example="https://example.org/photo.jpg", value=url[:100])
    if not current_app.config["OPEN311_MEDIA_ALLOW_PRIVATE"] and _private(urllib.parse.urlsplit(url).hostname or ""):
        # A client must not make the server fetch from the city's own network.
        raise InvalidInput("media_url_not_public", field="media_url")
    limit = attachment_rules().max_bytes
    try:
        with urllib.request.urlopen(url, timeout=current_app.config["OPEN311_MEDIA_FETCH_TIMEOUT"]) as response:  # noqa: S310
            data = response.read(limit + 1)
    except OSError:
        log.warning("media_url could not be fetched; the request is kept with its URL only")
        return None
    if len(data) > limit:
        raise InvalidInput("file_too_large", field="media_url", name="media_url", limit=megabytes(limit))
    return data


def _private(host: str) -> bool:
    """Whether the host resolves to a loopback, private, link-local or reserved address."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False  # unresolvable: the fetch fails and the request keeps its URL only
    return any(not ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


def _new_ticket(form) -> NewTicket:
    """The intake's input from the standard's fields; a 400 names the first one at fault."""
    description = form.get("description", "").strip()
    if not description:
        raise InvalidInput("required", field="description", name="description")
    if len(description) > current_app.config["MAX_CONTENT_CHARS"]:
        raise InvalidInput("too_long", field="description", name="description",
                           limit=current_app.config["MAX_CONTENT_CHARS"])
    phone = "".join(ch for ch in form.get("phone", "") if ch.isdigit() or ch == "+")
    if not 5 <= len(phone) <= 20:
        raise InvalidInput("callback_phone_required", field="phone")
    name = (form.get("last_name", "") + form.get("first_name", "")).strip()[:64]
    return NewTicket(content=description, caller_phone=phone, caller_name=name, appeal_type=_appeal_type(),
                     address=form.get("address_string", "").strip()[:200], channel=open311.CHANNEL)


@bp.post(f"/requests.{FMT}")
def create_request(fmt: str):
    """File a service request through the normal intake: routed, saved, never lost."""
    session = get_session()
    client = open311.client_for_key(session, request.form.get("api_key"))
    category = open311.requested_service(session, request.form.get("service_code", "").strip())
    lat, long = _number("lat"), _number("long")
    if (lat is None) != (long is None):
        raise InvalidInput("lat_long_together", field="lat" if lat is None else "long")
    if lat is None and not request.form.get("address_string", "").strip() and not request.form.get("address_id"):
        raise InvalidInput("location_required", field="address_string")
    data = _new_ticket(request.form)
    media_url = request.form.get("media_url", "").strip()[:500]
    upload = read_upload(request.files["media"], "media") if "media" in request.files else None
    fetched = _fetch_media(media_url) if media_url and upload is None else None
    media = upload or ((fetched, media_url.rsplit("/", 1)[-1]) if fetched else None)
    if media is not None:
        attachments.sniff(media[0])  # refuse a bad file before anything is saved
    policy = load_policy(session, current_app.config)
    intake = register_call(session, data, client.user, get_engine(), policy, clock.now(),
                           idempotency_key=request.headers.get("Idempotency-Key") or None)
    req = open311.existing_request(session, intake.ticket) if intake.replayed else None
    if req is None:
        req = open311.record_request(session, intake.ticket, client, str(category.id), lat, long, media_url)
        if media is not None:
            attachments.add(session, intake.ticket, media[0], media[1], "open311", client.user,
                            attachment_rules(), clock.now())
    session.commit()
    return render("created", [{"service_request_id": intake.ticket.number, "token": req.token,
                               "service_notice": "", "account_id": ""}], fmt, 201)


@bp.get(f"/requests.{FMT}")
def list_requests(fmt: str):
    """Requests filed through Open311, filtered as the standard says."""
    flt = open311.request_filter(request.args)
    found = open311.find_requests(get_session(), flt, clock.now())
    return render("requests", [open311.request_view(r) for r in found], fmt)


@bp.get(f"/requests/<number>.{FMT}")
def show_request(number: str, fmt: str):
    """One request by its service_request_id."""
    return render("requests", [open311.request_view(open311.find_request(get_session(), number))], fmt)


@bp.get(f"/tokens/<token>.{FMT}")
def show_token(token: str, fmt: str):
    """The service_request_id a POST's token stands for."""
    req = open311.find_token(get_session(), token)
    return render("requests", [{"service_request_id": req.ticket.number, "token": req.token}], fmt)


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str):
    """Any other path or method: the standard's 404, not the staff pages' error page."""
    return error(404, f"no such GeoReport v2 resource: {request.method} /open311/v2/{rest}", _fmt())
