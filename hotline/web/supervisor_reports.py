"""回访/督办, continued: the monthly report, the annual assessment and the supervision cases.

The figures come from the cycle's services (hotline.services.cycle) exactly as the API serves them;
these pages add charts, downloads and forms. Routes are on the supervisor blueprint.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, redirect, render_template, request, url_for
from wtforms import BooleanField, DateField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from models import ReportKind, Role, SupervisionCase, SupervisionLevel, SupervisionStatus

from ..report_formats import COLUMNS, as_csv, as_html, as_xlsx, status_line, value
from ..db import get_session
from ..services.cycle import periods, publishing, snapshots, supervision
from ..services.cycle.flags import flag_of
from ..services.errors import DomainError, InvalidInput
from .auth import current_user, login_required
from .charts import Chart, count_chart, flag_chart, rate_chart, trend_chart
from .common import now, paginate, perform, policy
from .forms import STRIP, ChineseMeta, FilterForm, Select, WebForm
from .messages import zh_error
from .supervisor import bp

TREND_MONTHS = 6
# The columns of the on-page table (the downloads carry every column of report_formats.COLUMNS).
PAGE_COLUMNS = ["rank", "score", "assigned", "rates.sign_on_time", "rates.reply_on_time", "rates.callback",
                "rates.solved", "rates.satisfaction", "rates.return", "overdue", "repeat_complaints",
                "flags.red", "flags.black"]


def report_body(kind: ReportKind, label: str, live: bool = False, revision: int | None = None) -> dict[str, Any]:
    """The latest published revision of a period (or the one asked for), else the live figures."""
    return publishing.show(get_session(), kind, label, policy(), now(), live_figures=live, revision=revision)


def trend(label: str, shown_city: dict[str, Any] | None = None) -> dict[str, Any]:
    """City-wide volume, on-time and satisfaction rates over the months up to `label` (published if there).

    `shown_city` is the city line already computed for the page's own month, so it is not computed twice.
    """
    period = periods.parse("monthly", label, policy().tz)
    months = []
    for _ in range(TREND_MONTHS):
        months.insert(0, period)
        period = period.previous()
    rows = []
    for month in months:
        if month.label == label and shown_city is not None:
            rows.append((month.label, shown_city))
            continue
        snapshot = snapshots.find(get_session(), ReportKind.MONTHLY, month.label)
        city = snapshot.data["city"] if snapshot is not None else (
            publishing.live(get_session(), ReportKind.MONTHLY, month, policy(), now())["city"]
            if now() >= month.start else None)
        rows.append((month.label, city))
    return {
        "months": [label[2:] for label, _ in rows],
        "volumes": [city["assigned"] if city else 0 for _, city in rows],
        "series": {name: [city["rates"][key] if city else None for _, city in rows]
                   for name, key in (("按时办结率", "reply_on_time"), ("满意率", "satisfaction"))},
    }


def charts(body: dict[str, Any], with_trend: bool) -> list[Chart]:
    """Volumes, on-time and satisfaction rates by unit, flags, and (monthly) the trend over months."""
    lines = [line for line in body["departments"] if line["assigned"]]
    names = [line["department"]["name"] for line in lines]
    result = [
        count_chart(sorted(zip(names, (line["assigned"] for line in lines), strict=True), key=lambda p: -p[1]),
                    "派单量（按承办单位）"),
        rate_chart([(n, line["rates"]["reply_on_time"]) for n, line in zip(names, lines, strict=True)], "按时办结率"),
        rate_chart([(n, line["rates"]["satisfaction"]) for n, line in zip(names, lines, strict=True)], "满意率"),
        flag_chart([(n, line["flags"]) for n, line in zip(names, lines, strict=True)], "红绿黑旗（承办工单）"),
    ]
    if with_trend:
        data = trend(body["period"], body.get("city"))
        result.insert(0, trend_chart(data["months"], data["volumes"], data["series"], "近六个月走势（全市）"))
    return result


DOWNLOAD_ARGS = ("source", "revision")


class ReportFilter(FilterForm):
    """Which period, and published or live figures."""

    period = StringField("月份", filters=STRIP, validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message="月份如 2026-11")])
    source = Select("数据", choices=[("", "已发布版本（无则实时）"), ("live", "实时数据")], default="")
    revision = StringField("版本", filters=STRIP, validators=[Optional(), Regexp(r"^\d{1,4}$", message="版本是数字")])


class YearFilter(ReportFilter):
    """The assessment's year."""

    period = StringField("年度", filters=STRIP, validators=[Optional(), Regexp(r"^\d{4}$", message="年度如 2026")])


class PublishForm(WebForm):
    """Publish a finished period as a frozen revision."""

    note = StringField("发布说明", filters=STRIP, validators=[Length(max=1000, message="说明最多 1000 字")])


def _report_page(kind: ReportKind, publish: PublishForm | None = None, status: int = 200):
    """The report page of either kind: figures, charts, table, downloads, publishing."""
    monthly = kind == ReportKind.MONTHLY
    form = (ReportFilter if monthly else YearFilter)(request.args)
    today = now().astimezone(policy().tz)
    # The month in progress (live figures, as the units watch them); the assessment of the last whole year.
    default = today.strftime("%Y-%m") if monthly else str(today.year - 1)
    body = None
    if form.validate():
        label = form.value("period") or default
        form.period.data = form.period.data or label  # show which period the page is about
        revision = int(form.value("revision")) if form.value("revision") else None
        try:
            body = report_body(kind, label, live=form.value("source") == "live", revision=revision)
        except DomainError as exc:  # a period that cannot be read or has not begun, or no such revision
            (form.revision if exc.field == "revision" else form.period).errors = [zh_error(exc)]
            status = exc.status
    else:
        status = 400
    endpoint = "supervisor.monthly" if monthly else "supervisor.annual"
    return render_template(
        "supervisor/report.html", kind=kind.value, form=form, body=body, endpoint=endpoint,
        charts=charts(body, monthly) if body else [], status_text=status_line(body) if body else "",
        columns=[c for c in COLUMNS if c[0] in PAGE_COLUMNS], value=value,
        publish=publish or PublishForm(formdata=None),
        args={k: v for k, v in request.args.items() if k in DOWNLOAD_ARGS},  # the download links keep these
    ), status


@bp.get("/reports/monthly")
@login_required(Role.SUPERVISOR)
def monthly():
    """每月一通报: the month's figures with charts; CSV, XLSX and a printable page to download."""
    return _report_page(ReportKind.MONTHLY)


@bp.get("/reports/assessment")
@login_required(Role.SUPERVISOR)
def annual():
    """每年一考核: the year's scores and ranks per unit."""
    return _report_page(ReportKind.ANNUAL)


@bp.get("/reports/<kind>/<label>.<fmt>")
@login_required(Role.SUPERVISOR)
def download(kind: str, label: str, fmt: str):
    """The report as CSV, XLSX or a standalone HTML page (?live=1, ?revision=n as on the page)."""
    kinds = {"monthly": ReportKind.MONTHLY, "annual": ReportKind.ANNUAL}
    if kind not in kinds:
        raise InvalidInput("bad_choice", field="kind", name="kind", allowed=list(kinds))
    if fmt not in ("csv", "xlsx", "html"):
        raise InvalidInput("bad_choice", field="format", name="format", allowed=["csv", "xlsx", "html"])
    revision = request.args.get("revision") or None
    # Plain ASCII digits within a database integer only: not ², not 10^30.
    if revision is not None and not (revision.isascii() and revision.isdigit() and len(revision) <= 9):
        raise InvalidInput("out_of_range", field="revision", name="revision", minimum=1, maximum=2**31 - 1)
    body = report_body(kinds[kind], label, live=request.args.get("source") == "live",
                       revision=int(revision) if revision else None)
    if fmt == "csv":
        return as_csv(body)
    if fmt == "xlsx":
        return as_xlsx(body)
    return Response(as_html(body), mimetype="text/html")


@bp.post("/reports/<kind>/<label>/publish")
@login_required(Role.SUPERVISOR)
def publish(kind: str, label: str):
    """Freeze a finished period's live figures as its next revision."""
    kinds = {"monthly": ReportKind.MONTHLY, "annual": ReportKind.ANNUAL}
    if kind not in kinds:
        raise InvalidInput("bad_choice", field="kind", name="kind", allowed=list(kinds))
    report_kind = kinds[kind]
    form = PublishForm()
    endpoint = "supervisor.monthly" if report_kind == ReportKind.MONTHLY else "supervisor.annual"
    if not form.validate_on_submit():
        return _report_page(report_kind, form, 400)

    error = perform(lambda: publishing.publish(get_session(), report_kind, label, policy(), now(), current_user(),
                                               form.note.data or ""), form, done=f"{label} 已发布。")
    if error is None:
        return redirect(url_for(endpoint, period=label))
    return _report_page(report_kind, form, error.status)


# ---- supervision cases (每季一督办) ----------------------------------------------------------------

class CaseFilter(FilterForm):
    """Cases by quarter and state."""

    quarter = StringField("季度", filters=STRIP, validators=[Optional(), Regexp(r"^\d{4}Q[1-4]$", message="季度如 2026Q4")])
    status = Select("状态", choices=[("open", "督办中"), ("closed", "已销号"), ("", "全部")], default="open")


@bp.get("/cases")
@login_required(Role.SUPERVISOR)
def cases():
    """督办件: open cases (or a quarter's), deadline first, paged."""
    form = CaseFilter(request.args)
    valid = form.validate()
    status = form.value("status")
    query = supervision.cases_query(form.value("quarter"), SupervisionStatus(status) if status else None,
                                    order="deadline")
    page = paginate(query, form.value("page")) if valid else None
    return render_template("supervisor/cases.html", form=form, page=page), 200 if valid else 400


class StepForm(Form):
    """One rectification step (整改措施); a blank row adds nothing."""

    class Meta(ChineseMeta):
        pass

    action = StringField("整改措施", filters=STRIP, validators=[Length(max=500, message="最多 500 字")])
    deadline = DateField("完成期限", validators=[Optional()], render_kw={"placeholder": "2026-12-31"})
    done = BooleanField("已完成")

    def validate(self, extra_validators=None):
        """A step needs its deadline (Optional() stops the deadline's own validators when it is empty)."""
        valid = super().validate(extra_validators)
        if self.action.data and not self.deadline.data and not self.deadline.errors:
            self.deadline.errors = ["请填写完成期限（如 2026-12-31）"]
            return False
        return valid


class CaseForm(WebForm):
    """The three lists (三单) and the level of a case."""

    problem = TextAreaField("问题清单", filters=STRIP, validators=[DataRequired("请填写问题清单"),
                                                              Length(max=5000, message="最多 5000 字")])
    responsible_person = StringField("责任人（责任清单）", filters=STRIP, validators=[Length(max=100, message="最多 100 字")])
    level = Select("督办级别", choices=[(level.value, text) for level, text in (
        (SupervisionLevel.DEPARTMENT_HEAD, "部门负责人督办"), (SupervisionLevel.CITY_LEADER, "市领导督办"))])
    steps = FieldList(FormField(StepForm), label="整改清单", min_entries=1, max_entries=50)


class CloseForm(WebForm):
    """销号 with a written resolution."""

    resolution = TextAreaField("办理结果（销号意见）", filters=STRIP, validators=[
        DataRequired("销号须填写书面办理结果"), Length(max=5000, message="最多 5000 字")])
    # Needed only while the case's ticket is not closed (the service says so, naming this field).
    open_ticket_reason = TextAreaField("工单未办结仍销号的原因", filters=STRIP, validators=[
        Length(max=5000, message="最多 5000 字")])


def _case_page(case: SupervisionCase, form: CaseForm | None = None, close: CloseForm | None = None, status=200):
    """One case: the ticket, the reasons, the three lists to fill in, and 销号."""
    if form is None:
        steps = [{"action": s["action"], "deadline": date.fromisoformat(s["deadline"]), "done": s.get("done", False)}
                 for s in case.rectification]
        form = CaseForm(formdata=None, problem=case.problem, responsible_person=case.responsible_person,
                        level=case.level.value, steps=steps + [{}])
    return render_template("supervisor/case.html", case=case, form=form, close=close or CloseForm(formdata=None),
                           flag=flag_of(case.ticket, now(), policy().cycle_rules), overdue=case.status == SupervisionStatus.OPEN
                           and now() > case.deadline), status


@bp.get("/cases/<int:case_id>")
@login_required(Role.SUPERVISOR)
def case(case_id: int):
    """One supervision case."""
    return _case_page(supervision.find(get_session(), case_id))


@bp.post("/cases/<int:case_id>")
@login_required(Role.SUPERVISOR)
def case_update(case_id: int):
    """Save the three lists and the level."""
    found = supervision.find(get_session(), case_id)
    form = CaseForm()
    if form.validate_on_submit():
        steps = [supervision.Step(entry.action.data, entry.deadline.data, entry.done.data)
                 for entry in form.steps.entries if entry.action.data]
        error = perform(lambda: supervision.update_lists(
            get_session(), found, problem=form.problem.data, responsible_person=form.responsible_person.data or "",
            level=SupervisionLevel(form.level.data), steps=steps), form, done=f"督办件 {case_id} 已保存。")
        if error is None:
            return redirect(url_for(".case", case_id=case_id))
        return _case_page(found, form, status=error.status)
    return _case_page(found, form, status=400)


@bp.post("/cases/<int:case_id>/close")
@login_required(Role.SUPERVISOR)
def case_close(case_id: int):
    """销号, once every rectification step is done."""
    found = supervision.find(get_session(), case_id)
    form = CloseForm()
    if form.validate_on_submit():
        error = perform(lambda: supervision.close(get_session(), found, form.resolution.data, current_user(), now(),
                                                  open_ticket_reason=form.open_ticket_reason.data or ""),
                        form, done=f"督办件 {case_id} 已销号。")
        if error is None:
            return redirect(url_for(".case", case_id=case_id))
        return _case_page(found, close=form, status=error.status)
    return _case_page(found, close=form, status=400)
