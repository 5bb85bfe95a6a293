"""一企一档: the centre's staff read every appeal of one enterprise (by its unified social credit code)."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..db import get_session
from ..services.cycle import enterprise
from ..services.errors import DomainError
from .auth import login_required
from .common import now, page_error
from .messages import zh_error
from .tickets import CENTRE

bp = Blueprint("enterprises", __name__, url_prefix="/enterprises")


@bp.get("/<credit_code>")
@login_required(*CENTRE)
def history(credit_code: str):
    """The enterprise's appeals, newest first, with totals; a bad or unknown code is a message, not an error page."""
    try:
        body = enterprise.history(get_session(), credit_code, now())
    except DomainError as exc:  # 400 malformed code, 404 no appeals: the page says which, in Chinese
        page_error(zh_error(exc))
        return render_template("enterprises/history.html", history=None, credit_code=credit_code), exc.status
    return render_template("enterprises/history.html", history=body, credit_code=body["credit_code"])
