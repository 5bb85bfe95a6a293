"""Chinese labels for the English values the database keeps."""
from __future__ import annotations

import math

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
    Channel.ENTREPRENEUR_DAY: "企业家接待日",
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
REVISIT_STATUS = {"pending": "待回访", "held": "整改有效", "not_held": "问题反弹，已重办"}
BATCH_STATUS = {"open": "办理中", "closed": "已销号"}

PAUSE_REASON = {"waiting_citizen": "等待市民补充材料或配合", "waiting_third_party": "等待第三方答复",
                "legal_procedure": "法定程序（鉴定、检测、公示）进行中", "other": "其他"}
PAUSE_STATUS = {"pending": "待审批", "active": "挂起中", "rejected": "已驳回", "ended": "已恢复计时"}
COUNT_APPEAL_ITEM = {"late_reply": "超期办结", "unsatisfied": "回访不满意", "returned": "退单"}
COUNT_APPEAL_STATUS = {"pending": "待审核", "accepted": "已核减", "rejected": "已驳回"}
EMERGENCY_SERVICE = {"110": "110 报警", "119": "119 火警", "120": "120 急救", "122": "122 交通事故",
                     "95598": "95598 供电抢修", "96777": "96777 燃气抢修", "96166": "96166 供水抢修"}
GRADE = {"A": "A 级 · 即来即办", "B": "B 级 · 单一部门", "C": "C 级 · 多部门协调", "D": "D 级 · 市领导决策"}
SUPERVISED_BY = {"on_the_spot": "当场办", "department": "部门办", "city_leader": "市领导办"}

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
    "pause_requested": "申请挂起",
    "pause_approved": "批准挂起",
    "pause_rejected": "驳回挂起",
    "resumed": "恢复计时",
    "emergency_handed_off": "转交应急处置",
    "count_appeal_filed": "提出核减申请",
    "count_appeal_accepted": "核减申请通过",
    "count_appeal_rejected": "核减申请驳回",
    "revisited": "回头看",
    "batched": "集中交办",
    "graded": "分级",
    "co_unit_replied": "协办回复",
    "handler_assigned": "分配承办人",
    "identity_viewed": "查看保密来电人信息",
    "rectification_updated": "承办单位更新整改清单",
    "called_back_with_original": "合并件来电人回访",
}
ACTION = {member: _ACTION.get(member.value, member.value) for member in EventAction}
# 退单类型 (hotline.services.returns.REASONS; a test checks both lists name the same reasons).
RETURN_REASON = {"not_ours": "不属于本单位职责", "wrong_district": "不属于本辖区（属地错误）",
                 "needs_several_units": "需多个单位共同办理", "other": "其他"}

MODEL_SOURCE = {"bundled": "随系统提供（北京 MSGABench 数据训练）", "retrain": "本市历史工单重新训练"}
TIMEZONE = {"Asia/Shanghai": "北京时间", "Asia/Urumqi": "乌鲁木齐时间"}
# How a time limit reads on a page: 2wh → 2 个工作小时.
LIMIT_READING = {"min": "{n} 分钟", "h": "{n} 小时", "wh": "{n} 个工作小时", "wd": "{n} 个工作日", "d": "{n} 天",
                 "mo": "{n} 个月"}


def percent(value: float | None, towards: str = "down") -> str:
    """A probability as a percentage to 0.1 %, cut towards `towards` ("down" or "up"), never rounded across.

    A confidence is cut down and a threshold up, so one below the threshold never reads as equal to it
    (61.96 % against 62 % shows 61.9 % against 62.0 %, not 62 % against 62 %).
    """
    if value is None:
        return "—"
    tenths = value * 1000
    # A float a hair off a whole tenth (0.62 * 1000 = 619.999…) is that tenth.
    tenths = round(tenths) if abs(tenths - round(tenths)) < 1e-6 else (math.floor(tenths) if towards == "down"
                                                                            else math.ceil(tenths))
    return f"{tenths / 10:.1f}%"


def limit_text(limit: object) -> str:
    """A time limit as staff say it (2wh → 2 个工作小时); text that is no limit is shown as it is."""
    from ..services.sla import parse_limit

    try:
        parsed = parse_limit(str(limit))
    except ValueError:
        return str(limit)
    return LIMIT_READING[parsed.unit].format(n=parsed.amount)


LABELS = {
    "status": STATUS, "appeal_type": APPEAL_TYPE, "urgency": URGENCY, "channel": CHANNEL,
    "satisfaction": SATISFACTION, "role": ROLE, "department_kind": DEPARTMENT_KIND, "action": ACTION,
    "extension_status": EXTENSION_STATUS, "flag": FLAG, "limit_key": TIME_LIMIT_KEY, "repeat_reason": REPEAT_REASON,
    "supervision_reason": SUPERVISION_REASON, "supervision_level": SUPERVISION_LEVEL,
    "supervision_status": SUPERVISION_STATUS, "return_reason": RETURN_REASON,
    "pause_reason": PAUSE_REASON, "pause_status": PAUSE_STATUS, "count_appeal_item": COUNT_APPEAL_ITEM,
    "count_appeal_status": COUNT_APPEAL_STATUS, "emergency_service": EMERGENCY_SERVICE,
    "revisit_status": REVISIT_STATUS, "batch_status": BATCH_STATUS,
    "grade": GRADE, "supervised_by": SUPERVISED_BY, "model_source": MODEL_SOURCE, "timezone": TIMEZONE,
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
