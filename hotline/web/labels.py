"""Chinese labels for the English values the database keeps."""
from __future__ import annotations

from models import (
    AppealType,
    Channel,
    DepartmentKind,
    EventAction,
    ExtensionStatus,
    Role,
    Satisfaction,
    TicketStatus,
    Urgency,
)

STATUS = {
    TicketStatus.PENDING_DISPATCH: "待派单",
    TicketStatus.DISPATCHED: "待签收",
    TicketStatus.SIGNED: "办理中",
    TicketStatus.REPLIED: "待回访",
    TicketStatus.CLOSED: "已办结",
}
APPEAL_TYPE = {
    AppealType.CONSULTATION: "咨询",
    AppealType.HELP: "求助",
    AppealType.COMPLAINT: "投诉",
    AppealType.REPORT: "举报",
    AppealType.SUGGESTION: "建议",
    AppealType.PRAISE: "表扬",
}
URGENCY = {Urgency.NORMAL: "一般", Urgency.URGENT: "紧急"}
CHANNEL = {
    Channel.PHONE: "电话",
    Channel.WEB: "网站",
    Channel.WECHAT: "微信",
    Channel.LEADER_DAY: "领导接听日",
    Channel.OPEN311: "Open311",
}
SATISFACTION = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY_SATISFIED: "基本满意",
    Satisfaction.UNSATISFIED: "不满意",
}
ROLE = {
    Role.OPERATOR: "话务员",
    Role.DISPATCHER: "派单员",
    Role.DEPARTMENT: "承办单位",
    Role.SUPERVISOR: "回访督办",
    Role.ADMIN: "管理员",
}
DEPARTMENT_KIND = {
    DepartmentKind.BUREAU: "市直部门",
    DepartmentKind.DISTRICT: "区县(市)",
    DepartmentKind.STREET: "街道/乡镇",
    DepartmentKind.UTILITY: "公共事业单位",
    DepartmentKind.CENTRE: "热线中心",
}
EXTENSION_STATUS = {
    ExtensionStatus.PENDING: "待审批",
    ExtensionStatus.APPROVED: "已批准",
    ExtensionStatus.REJECTED: "已驳回",
}
FLAG = {"green": "绿旗", "yellow": "黄旗", "red": "红旗", "black": "黑旗"}
TIME_LIMIT_KEY = {
    "urgent": "紧急", "consultation": "咨询", "help": "求助", "complaint": "投诉", "report": "举报",
    "suggestion": "建议", "praise": "表扬", "enterprise": "涉企诉求",
}
LIMIT_UNIT = {"min": "分钟（自然时间）", "h": "小时（自然时间）", "wh": "工作小时", "wd": "工作日", "d": "自然日",
              "mo": "自然月"}
REPEAT_REASON = {"same_caller": "同一来电人", "same_place": "同一地点"}
SUPERVISION_REASON = {
    "repeat_complaint": "反复投诉", "long_overdue": "超期未办结", "unsatisfied_after_reopen": "重办后仍不满意",
    "difficult": "疑难工单",
}
SUPERVISION_LEVEL = {"department_head": "部门负责人督办", "city_leader": "市领导督办"}
SUPERVISION_STATUS = {"open": "督办中", "closed": "已销号"}

# Members added by other engineers later still get a readable label: the English value.
_ACTION = {
    "created": "登记",
    "routed": "自动派单",
    "queued": "转人工派单",
    "answered_on_call": "即来即办",
    "assigned": "人工派单",
    "signed": "签收",
    "returned": "退单",
    "extension_requested": "申请延期",
    "extension_approved": "批准延期",
    "extension_rejected": "驳回延期",
    "replied": "办结回复",
    "callback_unreached": "回访未接通",
    "callback_unreachable": "无法联系",
    "reopened": "重办",
    "closed": "办结归档",
    "linked_repeat": "关联重复件",
    "merged": "合并重复件",
    "flagged_difficult": "标记疑难",
    "escalated": "超时升级",
    "supervised": "列入督办",
    "supervision_closed": "督办销号",
    "attached": "添加附件",
    "identity_viewed": "查看保密来电人信息",
    "rectification_updated": "承办单位更新整改清单",
    "called_back_with_original": "合并件来电人回访",
}
ACTION = {member: _ACTION.get(member.value, member.value) for member in EventAction}
# 退单类型 (hotline.services.returns.REASONS; a test checks both lists name the same reasons).
RETURN_REASON = {"not_ours": "不属于本单位职责", "wrong_district": "不属于本辖区（属地错误）",
                 "needs_several_units": "需多个单位共同办理", "other": "其他"}

LABELS = {
    "status": STATUS, "appeal_type": APPEAL_TYPE, "urgency": URGENCY, "channel": CHANNEL,
    "satisfaction": SATISFACTION, "role": ROLE, "department_kind": DEPARTMENT_KIND, "action": ACTION,
    "extension_status": EXTENSION_STATUS, "flag": FLAG, "limit_key": TIME_LIMIT_KEY, "repeat_reason": REPEAT_REASON,
    "supervision_reason": SUPERVISION_REASON, "supervision_level": SUPERVISION_LEVEL,
    "supervision_status": SUPERVISION_STATUS, "return_reason": RETURN_REASON,
}


def label(value: object, kind: str) -> str:
    """The Chinese label of an enum value (or its plain value when none is known)."""
    if value is None:
        return ""
    table = LABELS[kind]
    if value in table:
        return table[value]
    return table.get(str(getattr(value, "value", value)), str(getattr(value, "value", value)))


def choices(kind: str) -> list[tuple[str, str]]:
    """(value, Chinese label) pairs for a select box."""
    return [(str(getattr(key, "value", key)), text) for key, text in LABELS[kind].items()]
