"""Forms of 挂起, 申诉/核减 and the emergency hand-off (one module, so merges with other forms stay additive)."""
from __future__ import annotations

from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from .forms import STRIP, Select, WebForm
from .labels import choices


class PauseForm(WebForm):
    """承办单位申请挂起."""

    reason = Select("挂起原因", choices=choices("pause_reason"), default="waiting_citizen")
    note = TextAreaField("说明", filters=STRIP, validators=[
        DataRequired("请说明在等待什么"), Length(max=1000, message="说明最多 1000 字")])
    # 1 to the MAX_PAUSE_WORKING_DAYS setting: the service checks it, the page shows it.
    working_days = IntegerField("最长挂起工作日", validators=[InputRequired("请填写挂起天数")])


class AppealForm(WebForm):
    """承办单位提出核减申请."""

    ticket = StringField("工单编号", filters=STRIP, validators=[
        DataRequired("请填写工单编号"), Regexp(r"^\d{4,20}$", message="工单编号是一串数字")])
    period = StringField("通报月份", filters=STRIP, validators=[
        DataRequired("请填写通报月份"), Regexp(r"^\d{4}-\d{2}$", message="月份应如 2026-11")])
    item = Select("核减事项", choices=choices("count_appeal_item"), default="late_reply")
    reason = TextAreaField("申请理由", filters=STRIP, validators=[
        DataRequired("请填写申请理由"), Length(max=1000, message="理由最多 1000 字")])
