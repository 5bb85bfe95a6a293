"""管理员: units, users, categories, routing rules, time limits, holidays, knowledge base, model versions."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length, Optional, Regexp

from models import Category, Department, DepartmentKind, KBEntry, Role, RoutingRule, User

from ..auth import hash_password
from ..db import get_session
from ..routing_setup import force_sync, get_engine
from ..services import directory, sla
from ..services.cycle import holidays
from ..services.errors import InvalidInput, NotFound
from ..services.knowledge import bundled_count, save_entry
from ..services.model_quality import overview  # the same as the API's
from ..services.model_store import activate_version
from .auth import current_user, login_required
from .common import now, paginate, perform, policy
from .forms import (
    STRIP,
    ButtonForm,
    CategoryForm,
    DepartmentForm,
    FilterForm,
    HolidayForm,
    KBEntryForm,
    RuleForm,
    Select,
    UserForm,
    WebForm,
)
from .labels import LIMIT_UNIT, TIME_LIMIT_KEY, choices
from .messages import zh_note

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required(Role.ADMIN)
def _admins_only():
    """Every page here is the admin's."""


def _departments() -> list[Department]:
    """All units, by kind and code (a city has at most a few hundred)."""
    return directory.departments(get_session())


def _department_id(code: str | None, field: str = "department") -> int | None:
    """The id of the unit with this code (None for no code); an unknown code is a 400 on `field`."""
    return directory.department_id(get_session(), code, field)


def _submit(form: WebForm, save: Callable[[], Any], done: str, back: str) -> Response | int:
    """Save a submitted form through its service (one commit): the redirect to `back`, else the status to show."""
    if form.validate_on_submit():
        error = perform(save, form, done=done)
        return redirect(back) if error is None else error.status
    return 400 if form.is_submitted() else 200


@bp.get("/")
def index():
    """The admin's overview: what there is, and whether this year's holiday schedule is known."""
    return render_template("admin/index.html", counts=directory.counts(get_session()),
                           calendar_warning=_calendar_warning(), engine=get_engine().status())


def _calendar_warning() -> str | None:
    """A warning when the holiday library does not know this year (or next year, in December)."""
    unknown = holidays.unknown_years(policy(), now())
    if not unknown:
        return None
    return (f"节假日库尚无 {'、'.join(map(str, unknown))} 年的放假安排：时限暂按周一至周五加本地调整计算，"
            "请在「节假日 → 录入全年放假安排」中录入该年的放假和调休。")


# ---- units -------------------------------------------------------------------------------------

class DepartmentFilter(FilterForm):
    """Units by kind or name."""

    kind = Select("类型", choices=[("", "全部"), *choices("department_kind")], default="")
    q = StringField("代码或名称", filters=STRIP, validators=[Optional(), Length(max=50, message="最多 50 字")])


def _department_form(form: DepartmentForm, own_id: int | None = None) -> DepartmentForm:
    """Parent choices: any other unit."""
    form.parent.choices = [("", "无")] + [(d.code, d.name) for d in _departments() if d.id != own_id]
    return form


def _save_department(form: DepartmentForm, department_id: int | None = None) -> None:
    """Save the form through the directory service."""
    directory.save_department(
        get_session(), code=form.code.data, name=form.name.data, kind=DepartmentKind(form.kind.data),
        parent_id=_department_id(form.parent.data, "parent"), active=form.active.data, department_id=department_id)


@bp.route("/departments", methods=["GET", "POST"])
def departments():
    """单位: the list (filtered, paged) and a form to add one."""
    filters = DepartmentFilter(request.args)
    form = _department_form(DepartmentForm())
    status = _submit(form, lambda: _save_department(form), f"已添加单位 {form.name.data}。", url_for(".departments"))
    if not isinstance(status, int):
        return status
    valid = filters.validate()
    query = directory.department_list(kind=filters.value("kind"), text=filters.value("q"))
    page = paginate(query, filters.value("page")) if valid else None
    return render_template("admin/departments.html", filters=filters, form=form, page=page), \
        status if valid else 400


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
def department_edit(department_id: int):
    """Change a unit (code, name, kind, parent, active)."""
    department = directory.get_row(get_session(), Department, department_id, "department")
    form = _department_form(DepartmentForm(obj=department, parent=department.parent.code if department.parent else ""),
                            department.id)
    status = _submit(form, lambda: _save_department(form, department_id), f"已保存单位 {form.name.data}。",
                     url_for(".departments"))
    if not isinstance(status, int):
        return status
    return render_template("admin/edit.html", form=form, title=f"编辑单位：{department.name}",
                           back=url_for(".departments")), status


# ---- users -------------------------------------------------------------------------------------

class UserFilter(FilterForm):
    """Users by role, unit or name."""

    role = Select("角色", choices=[("", "全部"), *choices("role")], default="")
    department = Select("单位", choices=[("", "全部")], validate_choice=False, default="")
    q = StringField("用户名或姓名", filters=STRIP, validators=[Optional(), Length(max=64, message="最多 64 字")])


def _user_form(form: UserForm) -> UserForm:
    """Unit choices for a department user."""
    form.department.choices = [("", "（非承办单位用户）")] + [(d.code, d.name) for d in _departments()]
    return form


def _save_user(form: UserForm, user_id: int | None = None) -> None:
    """Save the form through the directory service (hashing a new password)."""
    directory.save_user(
        get_session(), username=form.username.data, display_name=form.display_name.data or "",
        role=Role(form.role.data), department_id=_department_id(form.department.data), active=form.active.data,
        password_hash=hash_password(form.password.data) if form.password.data else None, user_id=user_id,
        actor_id=current_user().id,
    )


@bp.route("/users", methods=["GET", "POST"])
def users():
    """用户: the list (filtered, paged) and a form to add one."""
    filters = UserFilter(request.args)
    filters.department.choices += [(d.code, d.name) for d in _departments()]
    form = _user_form(UserForm())
    status = _submit(form, lambda: _save_user(form), f"已添加用户 {form.username.data}。", url_for(".users"))
    if not isinstance(status, int):
        return status
    valid = filters.validate()
    query = directory.user_list(role=filters.value("role"), department_code=filters.value("department"),
                                text=filters.value("q"))
    page = paginate(query, filters.value("page")) if valid else None
    return render_template("admin/users.html", filters=filters, form=form, page=page), status if valid else 400


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    """Change a user; a new password only if one is typed (it ends the user's open sessions)."""
    user = directory.get_row(get_session(), User, user_id, "user")
    form = _user_form(UserForm(obj=user, department=user.department.code if user.department else ""))
    if request.method == "GET":
        form.role.data = user.role.value
    status = _submit(form, lambda: _save_user(form, user_id), f"已保存用户 {form.username.data}。", url_for(".users"))
    if not isinstance(status, int):
        return status
    return render_template("admin/edit.html", form=form, title=f"编辑用户：{user.username}", back=url_for(".users"),
                           hint="密码留空则不修改。"), status


# ---- categories and routing rules ----------------------------------------------------------------

def _save_category(form: CategoryForm, category_id: int | None = None) -> None:
    """Save the form through the directory service."""
    directory.save_category(get_session(), name=form.name.data, description=form.description.data or "",
                            active=form.active.data, category_id=category_id)


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    """分类: the catalogue (names are the model's labels) and a form to add one."""
    form = CategoryForm()
    status = _submit(form, lambda: _save_category(form), f"已添加分类 {form.name.data}。", url_for(".categories"))
    if not isinstance(status, int):
        return status
    filters = FilterForm(request.args)
    valid = filters.validate()
    page = paginate(directory.category_list(), filters.value("page"), per_page=50) if valid else None
    labels = set(get_engine().router.labels) if get_engine().router is not None else set()
    return render_template("admin/categories.html", form=form, page=page, model_labels=labels), \
        status if valid else 400


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def category_edit(category_id: int):
    """Change a category."""
    category = directory.get_row(get_session(), Category, category_id, "category")
    form = CategoryForm(obj=category)
    status = _submit(form, lambda: _save_category(form, category_id), f"已保存分类 {form.name.data}。",
                     url_for(".categories"))
    if not isinstance(status, int):
        return status
    return render_template("admin/edit.html", form=form, title=f"编辑分类：{category.name}",
                           back=url_for(".categories")), status


class RuleFilter(FilterForm):
    """Rules by category or district."""

    category = Select("分类", choices=[("", "全部")], validate_choice=False, default="")
    district = Select("属地", choices=[("", "全部"), (directory.CITY_WIDE, "全市通用")], validate_choice=False, default="")


def _rule_form(form: RuleForm) -> RuleForm:
    """Choices: categories, the gazetteer's districts (or city-wide), units."""
    form.category.choices = [("", "请选择…")] + [(str(c.id), c.name) for c in directory.categories(get_session())]
    form.district.choices = [("", "全市通用")] + [(d, d) for d in get_engine().gazetteer.districts]
    form.department.choices = [("", "请选择…")] + [(d.code, d.name) for d in _departments()]
    return form


def _save_rule(form: RuleForm, rule_id: int | None = None) -> None:
    """Save a rule from the form."""
    if not (form.category.data.isascii() and form.category.data.isdigit() and len(form.category.data) <= 9):
        raise InvalidInput("unknown_category", field="category", value=form.category.data)
    directory.save_rule(get_session(), category_id=int(form.category.data), district=form.district.data or None,
                        department_id=_department_id(form.department.data), rule_id=rule_id)


@bp.route("/rules", methods=["GET", "POST"])
def rules():
    """派单规则: (category, district) → unit; the list (filtered, paged) and a form to add one."""
    filters = RuleFilter(request.args)
    filters.category.choices += [(str(c.id), c.name) for c in directory.categories(get_session())]
    filters.district.choices += [(d, d) for d in get_engine().gazetteer.districts]
    form = _rule_form(RuleForm())
    status = _submit(form, lambda: _save_rule(form), "已添加派单规则。", url_for(".rules", **request.args))
    if not isinstance(status, int):
        return status
    valid = filters.validate()
    category = filters.value("category")
    wanted = category if category and category.isascii() and category.isdigit() and len(category) <= 9 else None
    query = directory.rule_list(category_id=int(wanted) if wanted else None, district=filters.value("district"))
    page = paginate(query, filters.value("page"), per_page=50) if valid else None
    return render_template("admin/rules.html", filters=filters, form=form, page=page,
                           button=ButtonForm(formdata=None)), status if valid else 400


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
def rule_edit(rule_id: int):
    """Change which unit a rule sends work to (or its category and district)."""
    rule = directory.get_row(get_session(), RoutingRule, rule_id, "rule")
    form = _rule_form(RuleForm(category=str(rule.category_id), district=rule.district or "",
                               department=rule.department.code))
    status = _submit(form, lambda: _save_rule(form, rule_id), "已保存派单规则。", url_for(".rules"))
    if not isinstance(status, int):
        return status
    return render_template("admin/edit.html", form=form, title="编辑派单规则", back=url_for(".rules")), status


@bp.post("/rules/<int:rule_id>/delete")
def rule_delete(rule_id: int):
    """Remove a rule (that category's tickets in that district then follow the city-wide rule)."""
    if ButtonForm().validate_on_submit():
        perform(lambda: directory.delete_rule(get_session(), rule_id), done="已删除派单规则。", redirecting=True)
    return redirect(url_for(".rules"))


# ---- time limits and holidays ----------------------------------------------------------------

class TimeLimitsForm(WebForm):
    """One text box per appeal kind and phase (e.g. 2wh), built at request time from sla.LIMIT_KEYS."""


LIMIT_PATTERN = r"^\d+(min|wh|wd|mo|h|d)$"
LIMIT_MESSAGE = "格式：数字加单位，如 30min、2wh、5wd、7d、2mo"


def _time_limits_form() -> WebForm:
    """A form with sign/reply fields per key, filled with the limits in force."""

    class Form(TimeLimitsForm):
        pass

    for key in sla.LIMIT_KEYS:
        for phase, name in (("sign", "签收"), ("reply", "办结")):
            setattr(Form, f"{key}_{phase}", StringField(f"{TIME_LIMIT_KEY[key]}·{name}", filters=STRIP, validators=[
                Regexp(LIMIT_PATTERN, message=LIMIT_MESSAGE)]))
    current = {f"{key}_{phase}": str(limit) for key, entry in policy().time_limits.items()
               for phase, limit in entry.items()}
    return Form(data=current)


@bp.route("/time-limits", methods=["GET", "POST"])
def time_limits():
    """办理时限: sign and reply limits per appeal kind; new limits apply to tickets dispatched from now on."""
    form = _time_limits_form()

    def _save() -> None:
        """Save through the directory service, naming the form's field on a bad limit."""
        limits = {key: {phase: form[f"{key}_{phase}"].data for phase in sla.PHASES} for key in sla.LIMIT_KEYS}
        try:
            directory.save_time_limits(get_session(), limits, current_user(), now())
        except InvalidInput as exc:  # the service names "key-phase"; the form's field is key_phase
            raise InvalidInput(exc.code, field=(exc.field or "").replace("-", "_"), **exc.params) from None

    status = _submit(form, _save, "办理时限已保存，此后派出的工单按新时限计算。", url_for(".time_limits"))
    if not isinstance(status, int):
        return status
    rows = [(key, TIME_LIMIT_KEY[key], form[f"{key}_sign"], form[f"{key}_reply"]) for key in sla.LIMIT_KEYS]
    units = {unit: LIMIT_UNIT.get(unit, text) for unit, text in sla.UNITS.items()}
    return render_template("admin/time_limits.html", form=form, rows=rows, units=units,
                           stored=directory.stored_time_limits(get_session()) is not None), status


class YearFilter(FilterForm):
    """Overrides of one year."""

    year = StringField("年份", filters=STRIP, validators=[Optional(), Regexp(r"^\d{4}$", message="年份如 2027")])


@bp.route("/holidays", methods=["GET", "POST"])
def holiday_list():
    """节假日: the city's own closures and make-up working days, over the holiday library."""
    filters = YearFilter(request.args)
    form = HolidayForm()
    status = _submit(form, lambda: holidays.set_override(get_session(), form.day.data, form.is_workday.data == "1",
                                                         form.note.data or ""),
                     f"已保存 {form.day.data} 的调整。", url_for(".holiday_list", **request.args))
    if not isinstance(status, int):
        return status
    valid = filters.validate()
    year = int(filters.value("year")) if valid and filters.value("year") else None
    overrides = holidays.list_overrides(get_session(), year) if valid else []
    return render_template("admin/holidays.html", filters=filters, form=form, overrides=overrides,
                           calendar_warning=_calendar_warning(), button=ButtonForm(formdata=None)), \
        status if valid else 400


@bp.post("/holidays/<day>/delete")
def holiday_delete(day: str):
    """Remove a day's override: the holiday library decides that day again."""
    if ButtonForm().validate_on_submit():
        perform(lambda: holidays.delete_override(get_session(), holidays.parse_day(day)), done=f"已删除 {day} 的调整。",
                redirecting=True)
    return redirect(url_for(".holiday_list"))


# ---- knowledge base ------------------------------------------------------------------------------

class KBFilter(FilterForm):
    """Entries by words in the question, or by unit."""

    q = StringField("问题包含", filters=STRIP, validators=[Optional(), Length(max=50, message="最多 50 字")])
    show = Select("状态", choices=[("", "全部"), ("active", "启用"), ("inactive", "停用")], default="")


def _save_entry(form: KBEntryForm, entry_id: int | None = None) -> None:
    """Save the form through the knowledge-base service."""
    save_entry(get_session(), current_user(), now(), question=form.question.data, answer=form.answer.data,
               department=form.department.data, active=form.active.data, entry_id=entry_id)


@bp.route("/kb", methods=["GET", "POST"])
def kb():
    """知识库: the entries (searched, paged) and a form to add one."""
    filters = KBFilter(request.args)
    form = KBEntryForm()
    status = _submit(form, lambda: _save_entry(form), "已添加知识库条目。", url_for(".kb"))
    if not isinstance(status, int):
        return status
    valid = filters.validate()
    show = filters.value("show")
    query = directory.kb_list(text=filters.value("q"), active=(show == "active") if show else None)
    page = paginate(query, filters.value("page")) if valid else None
    return render_template("admin/kb.html", filters=filters, form=form, page=page,
                           bundled=bundled_count(get_session())), status if valid else 400


@bp.route("/kb/<int:entry_id>", methods=["GET", "POST"])
def kb_edit(entry_id: int):
    """Change an entry, or retire it (uncheck 启用)."""
    entry = directory.get_row(get_session(), KBEntry, entry_id, "kb_entry")
    form = KBEntryForm(obj=entry)
    status = _submit(form, lambda: _save_entry(form, entry_id), "已保存知识库条目。", url_for(".kb"))
    if not isinstance(status, int):
        return status
    return render_template("admin/edit.html", form=form, title=f"编辑知识库条目 #{entry.id}", back=url_for(".kb")), status


# ---- model versions ------------------------------------------------------------------------------

def _activate(version: str) -> None:
    """Put `version` in service on this host now, and on every host through the database setting."""
    activate_version(get_session(), get_engine(), Path(current_app.config["MODEL_DIR"]), version, current_user().id,
                     now())


@bp.get("/models")
def models_page():
    """模型版本: every version on disk with its metrics; which one routes now."""
    engine = get_engine()
    active = engine.router.version if engine.router else None
    page = overview(get_session(), Path(current_app.config["MODEL_DIR"]), active, now())
    return render_template("admin/models.html", versions=page["models"], active=active, quality=page["quality"],
                           decisions=page["decisions"], load_error=engine.load_error, threshold=engine.threshold,
                           button=ButtonForm(formdata=None), zh_note=zh_note)


@bp.post("/models/<version>/activate")
def model_activate(version: str):
    """Activate a model version (every host follows within 30 s)."""
    if ButtonForm().validate_on_submit():
        if perform(lambda: _activate(version), done=f"模型 {version} 已启用。") is None:
            force_sync()
        else:
            return models_page(), 400
    return redirect(url_for(".models_page"))
