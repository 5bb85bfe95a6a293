"""管理员 → 操作日志: every admin change, filtered by what was changed and by whom."""
from __future__ import annotations

from flask import render_template, request
from wtforms import StringField
from wtforms.validators import Length, Optional

from ..db import get_session
from ..services import audit
from .admin import bp
from .common import paginate
from .forms import STRIP, FilterForm, Select

ENTITY_NAMES = {"departments": "单位", "users": "用户", "categories": "分类", "routing_rules": "派单规则",
                "calendar_overrides": "节假日", "kb_entries": "知识库", "settings": "设置（办理时限、启用模型）"}
ACTIONS = {"create": "新增", "update": "修改", "delete": "删除"}


class AuditFilter(FilterForm):
    """Changes to one kind of record, by one user, or to one record."""

    entity = Select("对象", choices=[("", "全部"), *((e, ENTITY_NAMES.get(e, e)) for e in audit.ENTITIES)], default="")
    actor = StringField("操作人（用户名）", filters=STRIP, validators=[Optional(), Length(max=64, message="最多 64 字")])
    entity_id = StringField("记录编号", filters=STRIP, validators=[Optional(), Length(max=64, message="最多 64 字")])


@bp.get("/audit")
def audit_log():
    """操作日志: who changed what, when, from what to what; newest first, paged."""
    filters = AuditFilter(request.args)
    valid = filters.validate()
    query = audit.entries(get_session(), entity=filters.value("entity"), actor=filters.value("actor"),
                          entity_id=filters.value("entity_id"))
    page = paginate(query, filters.value("page")) if valid else None
    return render_template("admin/audit.html", filters=filters, page=page, entity_names=ENTITY_NAMES,
                           actions=ACTIONS), 200 if valid else 400
