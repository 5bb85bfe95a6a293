"""The pages' forms (WTForms): every message in Chinese, every typed value kept on a re-render."""
from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..services.identifiers import CREDIT_CODE, PHONE, normalise_phone
from .labels import choices


def _as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms' SelectChoice (plain tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice.from_input(pair) if isinstance(pair, tuple) else pair for pair in pairs or ()]


class Select(SelectField):
    """A select box that takes (value, label) pairs, when declared and when its choices are set later."""

    def __init__(self, label=None, validators=None, choices=(), **kwargs):
        """A SelectField whose pairs are turned into SelectChoice."""
        super().__init__(label, validators, choices=_as_choices(choices), **kwargs)

    @property
    def choices(self):
        """The options, as SelectChoice objects."""
        return SelectField.choices.fget(self)

    @choices.setter
    def choices(self, value):
        """Replace the options (pairs or SelectChoice)."""
        SelectField.choices.fset(self, _as_choices(value))

    def label_of(self, value: str) -> str:
        """The label shown for `value` (the value itself when there is none)."""
        return next((choice.label for choice in self.choices if choice.value == value), value)


class ChineseMeta:
    """WTForms' own Chinese messages for what the fields check themselves (e.g. 不是有效的整数)."""

    locales = ["zh"]

    def get_translations(self, form):
        """Flask-WTF wants Flask-Babel for translations; WTForms ships the Chinese catalogue itself."""
        return DefaultMeta.get_translations(self, form)


class WebForm(FlaskForm):
    """A POSTed form: CSRF token, Chinese messages."""

    class Meta(ChineseMeta):
        pass

    def add_error(self, field: str | None, message: str) -> bool:
        """Attach a message to `field` if the form has it; False when it does not (show it at the top)."""
        if field and field in self._fields and not isinstance(self._fields[field], HiddenField):
            self._fields[field].errors = [*self._fields[field].errors, message]
            return True
        return False


class FilterForm(Form):
    """A list page's query-string filters (GET, so no CSRF token)."""

    class Meta(ChineseMeta):
        pass

    page = IntegerField("页码", default=1, validators=[Optional(), NumberRange(min=1, max=100000, message="页码须为正整数")])

    def value(self, name: str):
        """A filter's value, or None when it is empty or invalid."""
        field = self._fields[name]
        return None if field.errors or field.data in ("", None) else field.data


def _strip(value):
    """Trim what was typed (a trailing space in a phone number is no error)."""
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


def _phone(value):
    """The number as stored when it is one (spaces, dashes, +86 dropped); else as typed, for the check to refuse."""
    value = _strip(value)
    return (normalise_phone(value) or value) if value else value


class CallForm(WebForm):
    """话务员登记来电."""

    caller_phone = StringField("来电号码", filters=[_phone], validators=[
        DataRequired("请填写来电号码"),
        Regexp(PHONE, message="号码格式不对：手机 13812345678，座机 0734-8888888"),
    ])
    caller_name = StringField("来电人", filters=STRIP, validators=[Length(max=64, message="姓名最多 64 个字")])
    appeal_type = Select("诉求类型", choices=choices("appeal_type"), default="complaint")
    urgency = Select("紧急程度", choices=choices("urgency"), default="normal")
    channel = Select("渠道", choices=choices("channel"), default="phone")
    channel_host = StringField("接听领导/活动", filters=STRIP,
                               validators=[Length(max=100, message="接听领导/活动最多 100 个字")])
    address = StringField("地址", filters=STRIP, validators=[Length(max=200, message="地址最多 200 个字")])
    district = Select("属地", choices=[("", "自动识别")], default="")
    content = TextAreaField("诉求内容", filters=STRIP, validators=[DataRequired("请填写诉求内容")])
    enterprise_name = StringField("企业名称", filters=STRIP, validators=[Length(max=200, message="企业名称最多 200 个字")])
    enterprise_credit_code = StringField("统一社会信用代码", filters=[_strip, lambda v: v.upper() if v else v],
                                         validators=[Optional(), Regexp(CREDIT_CODE, message="应为 18 位统一社会信用代码")])
    resolved_on_call = BooleanField("即来即办（已在电话中答复）")
    # ABCD 分级: A comes with 即来即办 by itself; C and D are the operator's call (or the dispatcher's later).
    grade = Select("分级", choices=[("", "自动（即来即办为 A，其余为 B）"), ("B", "B 级 · 单一部门"),
                                  ("C", "C 级 · 多部门协调"), ("D", "D 级 · 市领导决策")], default="")
    confidential = BooleanField("来电人要求保密（承办单位看不到姓名、号码和详细地址）")
    reply = TextAreaField("答复内容", filters=STRIP, validators=[Length(max=5000, message="答复最多 5000 字")])
    kb_entry = IntegerField(validators=[Optional()])  # a knowledge-base answer chosen with one click ...
    kb_confirm = IntegerField(validators=[Optional()])  # ... and confirmed: the call is 即来即办 with it
    # Emergency hand-off: the choices are the EMERGENCY_SERVICES setting (the page fills them in).
    emergency_service = Select("应急转接", choices=[("", "不转接")], validate_choice=False, default="")
    emergency_note = TextAreaField("转接时告知的情况", filters=STRIP, validators=[
        Length(max=1000, message="最多 1000 字")])
    # One key per call typed: a double click or a resubmission after a timeout finds the first ticket.
    idempotency_key = HiddenField(default=lambda: uuid.uuid4().hex,
                                  validators=[Optional(), Regexp(r"^[\x21-\x7e]{1,200}$", message="表单已损坏，请刷新页面")])

    def validate_reply(self, field):
        """即来即办 records what was answered on the call (a knowledge-base answer counts)."""
        if self.resolved_on_call.data and not field.data and not self.kb_entry.data and not self.kb_confirm.data:
            raise ValidationError("即来即办须填写答复内容")

    def validate_enterprise_name(self, field):
        """An enterprise appeal names the enterprise as well as its code."""
        if self.enterprise_credit_code.data and not field.data:
            raise ValidationError("填写了信用代码，请同时填写企业名称")


class AssignForm(WebForm):
    """派单员派单."""

    department = Select("承办单位", choices=[], validate_choice=False,
                             validators=[DataRequired("请选择承办单位")])
    category = Select("分类", choices=[], validate_choice=False)
    note = StringField("派单说明", filters=STRIP, validators=[Length(max=500, message="说明最多 500 字")])
    next = HiddenField()


class BulkAssignForm(WebForm):
    """批量派单: the tickets ticked on the queue, sent to one unit."""

    numbers = SelectMultipleField("工单", choices=[], validate_choice=False)
    department = Select("承办单位", choices=[], validate_choice=False, validators=[DataRequired("请选择承办单位")])
    category = Select("分类", choices=[], validate_choice=False)
    next = HiddenField()


class BulkAcknowledgeForm(WebForm):
    """批量标记已处理: the hot spots ticked on the alerts page."""

    alert_ids = SelectMultipleField("预警", choices=[], validate_choice=False, coerce=int)
    next = HiddenField()


class MergeForm(WebForm):
    """把重复件并入原工单."""

    original = StringField("原工单编号", filters=STRIP, validators=[
        DataRequired("请填写原工单编号"), Regexp(r"^\d{8,20}$", message="工单编号是一串数字，如 2026111600001"),
    ])
    note = StringField("说明", filters=STRIP, validators=[Length(max=500, message="说明最多 500 字")])
    next = HiddenField()


class ReturnForm(WebForm):
    """承办单位退单: a reason from the list (reported by reason), and the unit's words."""

    reason_code = Select("退单类型", choices=[("", "请选择"), *choices("return_reason")], default="",
                         validators=[DataRequired("请选择退单类型")])
    reason = TextAreaField("退单原因", filters=STRIP, validators=[
        DataRequired("退单必须填写原因"), Length(max=1000, message="原因最多 1000 字"),
    ])


class DifficultForm(WebForm):
    """标记疑难 (主任督办): the reason is required."""

    reason = TextAreaField("疑难原因", filters=STRIP, validators=[
        DataRequired("标记疑难必须填写原因"), Length(max=1000, message="原因最多 1000 字"),
    ])


class ExtensionForm(WebForm):
    """承办单位申请延期."""

    # 1 to the MAX_EXTENSION_WORKING_DAYS setting: the workflow checks it, and the page shows the limit.
    working_days = IntegerField("延期工作日", validators=[InputRequired("请填写延期天数")])
    reason = TextAreaField("延期原因", filters=STRIP, validators=[
        DataRequired("申请延期必须填写原因"), Length(max=1000, message="原因最多 1000 字"),
    ])


class ReplyForm(WebForm):
    """承办单位办结回复."""

    reply = TextAreaField("办理结果", filters=STRIP, validators=[
        DataRequired("请填写办理结果"), Length(max=5000, message="回复最多 5000 字"),
    ])


class CallbackForm(WebForm):
    """回访结果: the digits lead each option so the keyboard picks it (Tab, 1, Tab, 1, Tab, 1, Enter)."""

    reached = Select("接通", choices=[("1", "1 接通"), ("0", "0 未接通")], default="1")
    solved = Select("解决", choices=[("", "—"), ("1", "1 已解决"), ("0", "0 未解决")], default="")
    satisfaction = Select("满意度", choices=[
        ("", "—"), ("satisfied", "1 满意"), ("basically_satisfied", "2 基本满意"), ("unsatisfied", "3 不满意"),
    ], default="")
    comment = StringField("备注", filters=STRIP, validators=[Length(max=1000, message="备注最多 1000 字")])
    next = HiddenField()

    def validate_solved(self, field):
        """A reached caller says whether the problem was solved."""
        if self.reached.data == "1" and not field.data:
            raise ValidationError("接通后请选择是否解决")

    def validate_satisfaction(self, field):
        """A reached caller rates the answer."""
        if self.reached.data == "1" and not field.data:
            raise ValidationError("接通后请选择满意度")


class DecisionForm(WebForm):
    """督办批复延期."""

    note = StringField("批复意见", filters=STRIP, validators=[Length(max=1000, message="意见最多 1000 字")])
    next = HiddenField()


class DepartmentForm(WebForm):
    """管理员: 单位."""

    code = StringField("代码", filters=STRIP, validators=[
        DataRequired("请填写代码"), Regexp(r"^[a-z0-9_]{2,32}$", message="代码为 2–32 位小写字母、数字或下划线"),
    ])
    name = StringField("名称", filters=STRIP, validators=[DataRequired("请填写名称"), Length(max=100, message="名称最多 100 字")])
    kind = Select("类型", choices=choices("department_kind"), default="bureau")
    parent = Select("上级单位", choices=[], validate_choice=False, default="")
    active = BooleanField("启用", default=True)


class UserForm(WebForm):
    """管理员: 用户."""

    username = StringField("用户名", filters=STRIP, validators=[
        DataRequired("请填写用户名"), Regexp(r"^[A-Za-z0-9_.-]{2,64}$", message="用户名为 2–64 位字母、数字或 _ . -"),
    ])
    display_name = StringField("姓名", filters=STRIP, validators=[Length(max=64, message="姓名最多 64 字")])
    role = Select("角色", choices=choices("role"), default="operator")
    department = Select("所属单位", choices=[], validate_choice=False, default="")
    password = PasswordField("密码", validators=[Optional(), Length(min=8, max=256, message="密码至少 8 位")])
    active = BooleanField("启用", default=True)

    def validate_department(self, field):
        """A department user belongs to exactly one unit."""
        if self.role.data == "department" and not field.data:
            raise ValidationError("承办单位用户须选择所属单位")


class CategoryForm(WebForm):
    """管理员: 分类."""

    name = StringField("名称", filters=STRIP, validators=[DataRequired("请填写名称"), Length(max=64, message="名称最多 64 字")])
    description = StringField("说明", filters=STRIP, validators=[Length(max=200, message="说明最多 200 字")])
    active = BooleanField("启用", default=True)


class RuleForm(WebForm):
    """管理员: 派单规则 (分类 + 属地 → 单位)."""

    category = Select("分类", choices=[], validate_choice=False, validators=[DataRequired("请选择分类")])
    district = Select("属地", choices=[], validate_choice=False, default="")
    department = Select("承办单位", choices=[], validate_choice=False, validators=[DataRequired("请选择承办单位")])


class HolidayForm(WebForm):
    """管理员: 节假日/调休调整."""

    day = DateField("日期", validators=[InputRequired("请填写日期（如 2027-01-01）")],
                    render_kw={"placeholder": "2027-01-01"})
    is_workday = Select("当天", choices=[("0", "休息"), ("1", "上班（调休）")], default="0")
    note = StringField("说明", filters=STRIP, validators=[Length(max=200, message="说明最多 200 字")])


class KBEntryForm(WebForm):
    """管理员: 知识库条目."""

    question = TextAreaField("问题", filters=STRIP, validators=[DataRequired("请填写问题"), Length(max=1000, message="问题最多 1000 字")])
    answer = TextAreaField("答复口径", filters=STRIP, validators=[DataRequired("请填写答复"), Length(max=10000, message="答复最多 10000 字")])
    department = StringField("承办单位", filters=STRIP, validators=[DataRequired("请填写承办单位"), Length(max=100, message="最多 100 字")])
    active = BooleanField("启用", default=True)


class ButtonForm(WebForm):
    """A form that is only a CSRF token and a button (sign, activate, delete, acknowledge)."""


class RevisitForm(WebForm):
    """回头看: did the fix hold? (1 held / 0 not held: back to the unit that closed it)."""

    held = Select("整改是否有效", choices=[("1", "1 有效"), ("0", "0 问题反弹")], default="1")
    comment = StringField("回访情况", filters=STRIP, validators=[Length(max=1000, message="回访情况最多 1000 字")])
    next = HiddenField()


class BatchForm(WebForm):
    """集中交办: the tickets checked on the page, the unit, and the day the batch is due."""

    tickets = SelectMultipleField("工单", choices=[], validate_choice=False)
    department = Select("交办单位", choices=[("", "请选择")], validate_choice=False, default="")
    deadline = DateField("办结期限", validators=[InputRequired("请填写办结期限")])
    note = StringField("交办说明", filters=STRIP, validators=[Length(max=1000, message="交办说明最多 1000 字")])
