"""工单查询: the centre's staff look tickets up (a citizen calling about progress) and read their history."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from models import Channel, EventAction, Role, Ticket, TicketStatus

from ..db import get_session
from ..routing_setup import get_engine
from ..services import directory, search, workflow
from .auth import current_user, login_required
from .common import extension_requests, find_ticket, now, paginate, perform, policy
from .forms import STRIP, ButtonForm, DifficultForm, FilterForm, Select
from .labels import choices

bp = Blueprint("tickets", __name__, url_prefix="/tickets")

CENTRE = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN)
# Who may put a ticket under the director's supervision (the same roles as POST /api/v1/tickets/<n>/difficult).
FLAGGERS = (Role.SUPERVISOR, Role.DISPATCHER)


class TicketFilter(FilterForm):
    """The search box and the filters; each one uses an index, so the list stays fast at millions of tickets."""

    page = IntegerField("页码", default=1, validators=[Optional(), NumberRange(
        min=1, max=search.MAX_PAGE, message=f"最多显示前 {search.MAX_PAGE} 页，请增加查询条件缩小范围")])

    q = StringField("查询", filters=STRIP, validators=[Optional(), Length(max=100, message="最多 100 字")],
                    render_kw={"type": "search", "placeholder": "编号、电话（或后 4 位）、姓名、地址或内容中的词"})
    created_from = DateField("登记日期从", validators=[Optional()])
    created_to = DateField("至", validators=[Optional()])
    status = Select("状态", choices=[("", "全部"), *choices("status")], default="")
    department = Select("承办单位", choices=[("", "全部")], validate_choice=False, default="")
    category = Select("分类", choices=[("", "全部")], validate_choice=False, default="")
    channel = Select("渠道", choices=[("", "全部"), *choices("channel")], default="")
    flag = Select("旗色", choices=[("", "全部"), *choices("flag")], default="")
    district = Select("属地", choices=[("", "全部")], validate_choice=False, default="")
    # Links from other pages (a caller's tickets) name the exact number or phone.
    number = StringField("工单编号", filters=STRIP, validators=[
        Optional(), Regexp(r"^\d{4,20}$", message="工单编号是一串数字")])
    caller_phone = StringField("来电号码", filters=STRIP, validators=[
        Optional(), Regexp(r"^[\d-]{5,20}$", message="号码只含数字和 -")])

    def validate_created_to(self, field) -> None:
        """The range ends on or after its start."""
        if field.data and self.created_from.data and field.data < self.created_from.data:
            raise ValidationError("结束日期不能早于开始日期")


def ticket_query(form: TicketFilter):
    """The tickets matching the valid filters, newest first."""
    rules = policy()
    start, end = form.value("created_from"), form.value("created_to")
    return search.search_tickets(
        current_user(), q=form.value("q"), number=form.value("number"), caller_phone=form.value("caller_phone"),
        statuses=[TicketStatus(form.value("status"))] if form.value("status") else (),
        channels=[Channel(form.value("channel"))] if form.value("channel") else (),
        department_code=form.value("department"), category=form.value("category"), district=form.value("district"),
        period=search.Period(start, end, rules.tz) if start or end else None,
        flag=form.value("flag"), now=now(), rules=rules.cycle_rules,
    ).options(selectinload(Ticket.department))


@bp.get("/")
@login_required(*CENTRE)
def index():
    """The search box (number, phone, name, words) with the filters, one page at a time."""
    form = TicketFilter(request.args)
    form.department.choices += [(d.code, d.name) for d in directory.departments(get_session(), order="code")]
    form.category.choices += [(c.name, c.name) for c in directory.categories(get_session())]
    form.district.choices += [(d, d) for d in get_engine().gazetteer.districts]
    valid = form.validate()
    page = (paginate(ticket_query(form), form.value("page"), few_order=search.SORTED_NEWEST_FIRST,
                     cap=search.count_cap(form.value("q"))) if valid else None)
    return render_template("tickets/index.html", form=form, page=page), 200 if valid else 400


@bp.get("/<number>")
@login_required(*CENTRE)
def detail(number: str):
    """One ticket with its whole history; each role acts from its own pages, but 疑难 is flagged here."""
    return detail_page(find_ticket(number, current_user()))


def detail_page(ticket: Ticket, difficult: DifficultForm | None = None, status: int = 200, caller=None):
    """The ticket page; a 疑难 form that failed keeps what was typed, with the message next to the field.

    `caller`: the caller as just revealed (保密), else as the reader may see them (hotline/web/confidential.py).
    """
    extensions = extension_requests(ticket)
    # The latest flag's event carries who flagged the ticket, when and why (the ticket itself keeps only a boolean).
    flagged = next((e for e in reversed(ticket.events) if e.action == EventAction.FLAGGED_DIFFICULT), None)
    can_flag = (current_user().role in FLAGGERS and not ticket.difficult
                and workflow.allows(ticket, EventAction.FLAGGED_DIFFICULT))
    # A refused form stays on the page with its messages, even when the ticket can no longer be flagged.
    if difficult is None or not difficult.errors:
        difficult = (difficult or DifficultForm(formdata=None)) if can_flag else None
    return render_template("tickets/detail.html", ticket=ticket, extensions=extensions, flagged=flagged,
                           difficult=difficult, caller=caller, button=ButtonForm(formdata=None)), status


@bp.get("/<number>/print")
@login_required()
def print_ticket(number: str):
    """工单打印: the ticket on paper as its reader may see it (a unit: its own tickets, the caller masked or, if
    confidential, hidden)."""
    user = current_user()
    ticket = find_ticket(number, user)
    unit = user.role == Role.DEPARTMENT
    back = url_for("department.ticket" if unit else "tickets.detail", number=ticket.number)
    return render_template("tickets/print.html", ticket=ticket, extensions=extension_requests(ticket), back=back,
                           printed_at=now())


@bp.post("/<number>/difficult")
@login_required(*FLAGGERS)
def flag_difficult(number: str):
    """标记疑难: put the ticket under the director's supervision (主任督办), with a reason."""
    ticket = find_ticket(number, current_user())
    form = DifficultForm()
    if form.validate_on_submit():
        error = perform(lambda: workflow.flag_difficult(get_session(), ticket, form.reason.data, current_user(), now()),
                        form, done=f"工单 {ticket.number} 已标记为疑难工单（主任督办）。")
        if error is None:
            return redirect(url_for(".detail", number=ticket.number))
        return detail_page(ticket, form, error.status)
    return detail_page(ticket, form, 400)
