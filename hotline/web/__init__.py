"""Server-rendered pages for staff (Chinese, keyboard-friendly): one blueprint per role over the same services."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from ..presentation import mask_phone
from . import labels, messages
from .messages import zh
from .auth import current_user, home_url, safe_next
from .common import local, time_left, url_with

bp = Blueprint("web", __name__)
csrf = CSRFProtect()

# A page reached from a list belongs to that list's menu entry.
NAV_SECTIONS = {
    "dispatcher.ticket": "dispatcher.queue", "department.ticket": "department.inbox", "tickets.detail": "tickets.index",
    "supervisor.case": "supervisor.cases", "department.case": "department.cases", "enterprises.history": "tickets.index", "admin.department_edit": "admin.departments", "admin.user_edit": "admin.users",
    "admin.category_edit": "admin.categories", "admin.rule_edit": "admin.rules", "admin.kb_edit": "admin.kb",
    "admin.holiday_year": "admin.holiday_list",
    "practices.file_appeal": "practices.unit_appeals",
    "practice.batch": "practice.batches",
}


@bp.get("/")
def index():
    """Send each user to the page of their role (or to the login page)."""
    user = current_user()
    return redirect(home_url(user) if user else url_for("auth.login"))


def _user_or_none():
    """The logged-in user for the layout; an error page must render even when the database is down."""
    try:
        return current_user()
    except Exception:  # the page being rendered may be the report of that very failure
        return None


def _same_site(url: str | None) -> bool:
    """Whether `url` is a page of this site (the referrer of a form posted here)."""
    return bool(url) and urlsplit(url).netloc == request.host


def _has_endpoint(app: Flask, endpoint: str) -> bool:
    """Whether a page exists (so the layout links only to pages that are there)."""
    return endpoint in app.view_functions


def init_app(app: Flask) -> None:
    """Register the page blueprints, CSRF protection on every form, and the template helpers."""
    from . import admin, attachments, auth, department, dispatcher, enterprises, interfaces_admin, live, operator, supervisor, tickets
    from . import supervisor_reports  # noqa: F401  (adds the report pages to the supervisor's blueprint)
    from . import admin_calendar  # noqa: F401  (adds the whole-year holiday form to the admin's blueprint)
    from . import admin_audit  # noqa: F401  (adds the audit log page to the admin's blueprint)
    from . import practices  # 挂起, 申诉/核减 and emergency hand-off pages
    from . import practice  # 回头看 and 集中交办
    from . import coordination
    from . import confidential  # adds 保密's reveal action to the ticket pages, and its template helpers
    from . import department_cases  # noqa: F401  (adds the unit's supervision cases and 整改清单 to its blueprint)
    from . import merged_callbacks  # adds 合并件回访 to the supervisor's callback page

    # A form's token lives as long as the session: a page opened at the start of a shift still submits at its end.
    lifetime = timedelta(hours=float(app.config["SESSION_HOURS"]))
    app.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    app.config["WTF_CSRF_TIME_LIMIT"] = int(lifetime.total_seconds())
    csrf.init_app(app)

    for blueprint in (bp, auth.bp, operator.bp, dispatcher.bp, department.bp, supervisor.bp, admin.bp, tickets.bp,
                      enterprises.bp, attachments.bp, interfaces_admin.bp, practices.bp, practice.bp, live.bp):
        app.register_blueprint(blueprint)

    coordination.init_app(app)  # grade, co-units, handler and notes forms on the ticket pages

    app.jinja_env.filters.update(zh=labels.label, local=local, mask_phone=mask_phone, limit_text=labels.limit_text,
                                 percent=labels.percent)
    app.jinja_env.globals.update(time_left=time_left, event_text=messages.event_text,
                                 routing_text=messages.routing_text, csrf_token=generate_csrf,
                                 url_with=url_with, ticket_attachments=attachments.ticket_attachments,
                                 nav_section=lambda endpoint: NAV_SECTIONS.get(endpoint, endpoint),
                                 has_endpoint=lambda endpoint: _has_endpoint(app, endpoint))

    confidential.init_app(app)
    merged_callbacks.init_app(app)

    @app.context_processor
    def _layout():
        """The user and the page-level error messages every page shows."""
        if request.blueprint == "api":
            return {}
        return {"current_user": _user_or_none(), "page_errors": g.get("page_errors", [])}

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        """A form without a valid token (expired page, or another site posting): refuse in Chinese.

        When the session itself has ended (the shift is over, the browser dropped the cookie), log in again and
        come back to the page the form was on; the call page keeps its typed call in the browser meanwhile.
        """
        if _user_or_none() is None and request.blueprint != "auth":
            flash("登录已超时，请重新登录后继续（未提交的来电记录保留在本机）。", "info")
            back = safe_next(urlsplit(request.referrer or "").path or None) if _same_site(request.referrer) else None
            return redirect(url_for("auth.login", next=back))
        return render_template("error.html", status=400, message=zh("csrf_failed")), 400
