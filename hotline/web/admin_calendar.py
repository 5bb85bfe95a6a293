"""管理员: a whole year's holiday schedule (放假安排) in one form; entering it marks the year as known."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from ..db import get_session
from ..services.cycle import holidays
from .admin import bp
from .auth import current_user
from .common import now, perform
from .forms import STRIP, WebForm

EXAMPLE = "2027-01-01 休 元旦\n2027-02-05~2027-02-11 休 春节\n2027-02-14 班 春节调休"


class YearScheduleForm(WebForm):
    """The State Council's notice for one year, a line per day or range."""

    year = StringField("年份", filters=STRIP, validators=[InputRequired("请填写年份"),
                                                        Regexp(r"^\d{4}$", message="年份如 2027")])
    schedule = TextAreaField("放假和调休安排", filters=STRIP,
                             validators=[InputRequired("请按国务院办公厅通知逐行填写"),
                                         Length(max=5000, message="最多 5000 字")],
                             render_kw={"rows": 12, "placeholder": EXAMPLE})


@bp.route("/holidays/year", methods=["GET", "POST"])
def holiday_year():
    """录入全年放假安排: replaces that year's overrides and stops the “unknown year” warning."""
    form = YearScheduleForm()
    status = 200
    if form.validate_on_submit():
        year = int(form.year.data)

        def _enter() -> None:
            days = holidays.parse_schedule(year, form.schedule.data)
            holidays.enter_year(get_session(), year, days, current_user().id, now())

        error = perform(_enter, form, done=f"已录入 {year} 年全年放假安排。")
        if error is None:
            return redirect(url_for(".holiday_list", year=year))
        status = error.status
    elif form.is_submitted():
        status = 400
    return render_template("admin/holiday_year.html", form=form, entered=holidays.list_entered(get_session()),
                           example=EXAMPLE), status
