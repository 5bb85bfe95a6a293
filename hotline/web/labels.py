"""Chinese labels for the English values the database keeps, and Chinese wording of domain errors."""
from __future__ import annotations

import re

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
}
ACTION = {member: _ACTION.get(member.value, member.value) for member in EventAction}

LABELS = {
    "status": STATUS, "appeal_type": APPEAL_TYPE, "urgency": URGENCY, "channel": CHANNEL,
    "satisfaction": SATISFACTION, "role": ROLE, "department_kind": DEPARTMENT_KIND, "action": ACTION,
    "extension_status": EXTENSION_STATUS, "flag": FLAG, "limit_key": TIME_LIMIT_KEY, "repeat_reason": REPEAT_REASON,
    "supervision_reason": SUPERVISION_REASON, "supervision_level": SUPERVISION_LEVEL,
    "supervision_status": SUPERVISION_STATUS,
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


_VERBS = {
    "dispatch": "派单", "queue": "转人工", "answer on the call": "即来即办", "assign": "派单", "sign": "签收",
    "return": "退单", "ask an extension for": "申请延期", "approve an extension for": "批准延期",
    "reject an extension for": "驳回延期", "reply to": "办结回复", "record a callback on": "回访",
    "reopen": "重办", "close": "办结", "merge": "合并", "flag as difficult": "标记疑难",
}


def _cannot(match: re.Match) -> str:
    """「cannot <verb> ticket N: it is <status>」 in Chinese."""
    verb = _VERBS.get(match["verb"], match["verb"])
    return f"工单 {match['number']} 当前状态为「{label(match['status'], 'status')}」，不能{verb}。"


# Domain errors speak English (the API's language); pages say the same thing in Chinese.
_MESSAGES: list[tuple[re.Pattern, object]] = [(re.compile(p), m) for p, m in [
    (r"^cannot (?P<verb>.+) ticket (?P<number>\S+): it is (?P<status>\w+)$", _cannot),
    (r"^a return needs a reason$", "退单必须填写原因。"),
    (r"^ticket (\S+) was already returned (\d+) times", r"工单 \1 已退回 \2 次，不能再退，请办理。"),
    (r"^an extension needs a reason$", "申请延期必须填写原因。"),
    (r"^flagging a ticket as difficult needs a reason$", "标记疑难必须填写原因。"),
    (r"^ticket (\S+) is already flagged as difficult$", r"工单 \1 已标记为疑难（主任督办），无需重复标记。"),
    (r"^'([^']*)' is not a unified social credit code", r"「\1」不是有效的统一社会信用代码（18 位，不含 I、O、S、V、Z）。"),
    (r"^no appeals of enterprise (\S+)$", r"没有统一社会信用代码为 \1 的企业诉求记录。"),
    (r"^working_days must be between 1 and (\d+)$", r"延期天数须在 1 到 \1 个工作日之间。"),
    (r"^ticket (\S+) already had its one extension request$", r"工单 \1 已申请过延期（每单限一次）。"),
    (r"^ticket (\S+) has no pending extension request$", r"工单 \1 没有待审批的延期申请。"),
    (r"^reply must not be empty$", "办结回复不能为空。"),
    (r"^reply is required when", "即来即办须填写答复内容。"),
    (r"^solved is required", "接通时须选择是否解决。"),
    (r"^satisfaction is required", "接通时须选择满意度。"),
    (r"^no ticket (\S+)$", r"找不到工单 \1。"),
    (r"^unknown department '?([^']*)'?$", r"没有单位「\1」。"),
    (r"^unknown category '?([^']*)'?$", r"没有分类「\1」。"),
    (r"^unknown district '?([^']*)'?$", r"没有属地「\1」。"),
    (r"^a ticket cannot be merged into itself", "不能把工单合并到它自己。"),
    (r"^ticket (\S+) is itself merged into (\S+)", r"工单 \1 已并入 \2，请合并到 \2。"),
    (r"^(\S+) must not be empty$", "此项不能为空。"),
    (r" is already taken$", "已被占用，请换一个。"),
    (r"^no model version (\S+)$", r"没有模型版本 \1。"),
    (r"^(?:period|quarter|year) must look like (\S+), got '([^']*)'", r"「\2」格式不对，应如 \1。"),
    (r"^(?:period|quarter|year): year (\d+) is out of range", r"年份 \1 超出范围。"),
    (r"^(\S+) has not started yet$", r"\1 还没有开始，没有数据。"),
    (r"^(\S+) is not over yet", r"\1 尚未结束，不能发布（可先查看实时数据）。"),
    (r"^another revision of (\S+) was published at the same moment", r"\1 刚刚被他人发布了一版，请刷新后再试。"),
    (r"has no revision (\d+)$", r"没有第 \1 版。"),
    (r"^closing a supervision case needs a written resolution$", "销号须填写书面办理结果。"),
    (r"^supervision case (\d+) names no responsible person yet", r"督办件 \1 尚未填写责任人（责任清单）。"),
    (r"^supervision case (\d+) has rectification steps not done: (.*)$", r"督办件 \1 还有未完成的整改措施：\2"),
    (r"^supervision case (\d+) is already closed$", r"督办件 \1 已销号。"),
    (r"^no supervision case (\d+)$", r"没有督办件 \1。"),
    (r"^invalid time limit '([^']*)'", r"时限「\1」格式不对：数字加单位，如 30min、2wh、5wd、7d、2mo。"),
    (r"^a rule for this category and district already exists$", "该分类在此属地已有规则，请修改原规则。"),
    (r"^a unit cannot be its own parent$", "上级单位不能是它自己。"),
    (r"^a department user needs a department$", "承办单位用户须选择所属单位。"),
    (r"^no override for (\S+)$", r"\1 没有调整记录。"),
    (r"^no (?:department|user|category|rule|knowledge-base entry|alert) (\S+)$", r"没有这条记录（编号 \1），可能已被删除。"),
    (r"^day must be a date as YYYY-MM-DD", "日期格式应如 2027-01-01。"),
    (r"^model (\S+) cannot be loaded: (.*)$", r"模型 \1 无法加载：\2"),
]]


_CJK = re.compile(r"[\u4e00-\u9fff]")
_GENERIC = {
    400: "请求有误，请返回上一页检查后重试。",
    401: "请先登录。",
    403: "您没有权限进行此操作。",
    404: "您要找的页面或记录不存在，请检查地址或编号。",
    405: "此地址不支持该操作。",
    409: "当前状态不允许此操作，请刷新页面查看最新状态。",
    413: "提交的内容太大。",
    500: "系统内部错误，本次操作没有保存任何内容。请重试；如仍出错，请联系管理员。",
}


def error_page_text(status: int, message: str | None) -> tuple[str, str | None]:
    """(Chinese text, original detail or None) for the error page: known messages translated, others generic."""
    if message and _CJK.search(message):
        return message, None
    if message and status < 500:
        translated = zh_message(message)
        if not translated.startswith("操作未完成："):
            return translated, None
    return _GENERIC.get(status, "操作未完成。"), (message if status < 500 else None)


def zh_message(message: str) -> str:
    """The Chinese wording of a domain error's message (the original when it is not a known one)."""
    for pattern, replacement in _MESSAGES:
        match = pattern.search(message)
        if match:
            return replacement(match) if callable(replacement) else match.expand(replacement)
    return message if _CJK.search(message) else f"操作未完成：{message}"


# System-written notes (English, like the API) as staff read them; notes people typed stay as typed.
_NOTES: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in [
    (r"^auto: (\S+) ([\d.]+)$", r"模型判定「\1」，置信度 \2，自动派单"),
    (r"^confidence ([\d.]+) below threshold ([\d.]+)$", r"置信度 \1 低于自动派单阈值 \2"),
    (r"^no routing rule for category (\S+)$", r"分类「\1」没有派单规则"),
    (r"^routing failed; please assign by hand$", "自动分类失败，请人工派单"),
    (r"^the model had nothing to go on", "内容太少，模型无法判断"),
    (r"^(no model|no trained model|model .* not loaded)", "没有可用的分类模型，请人工派单"),
    (r"^repeat of (\S+) \(same_caller\)$", r"重复件：原工单 \1（同一来电人）"),
    (r"^repeat of (\S+) \(same_place\)$", r"重复件：原工单 \1（同一地点）"),
    (r"^repeat of (\S+) \(merged\)$", r"重复件：随合并改挂原工单 \1"),
    (r"^repeated by (\S+) \((same_caller|same_place)\)$", r"被工单 \1 重复反映"),
    (r"^merged into (\S+)$", r"已并入工单 \1"),
    (r"^merged (\S+) into this ticket$", r"工单 \1 已并入本工单"),
]]
_SYSTEM_NOTE_ACTIONS = {"routed", "queued", "linked_repeat", "merged", "created"}


def system_note(text: str) -> str:
    """A note the system wrote, in Chinese (unknown ones as written)."""
    for pattern, replacement in _NOTES:
        match = pattern.search(text or "")
        if match:
            return match.expand(replacement)
    return text or ""


def event_text(event) -> str:
    """What an event's note and data say, in Chinese, for the ticket's history."""
    action = event.action.value
    data = event.data or {}
    if action == "created":
        return ""
    if action in _SYSTEM_NOTE_ACTIONS:
        return system_note(event.note)
    parts = []
    if action == "extension_requested" and data.get("working_days"):
        parts.append(f"申请延期 {data['working_days']} 个工作日")
    if action == "extension_approved" and data.get("working_days"):
        parts.append(f"延期 {data['working_days']} 个工作日")
    if action in ("closed", "reopened") and "solved" in data:
        parts.append("已解决" if data.get("solved") else "未解决")
        if data.get("satisfaction"):
            parts.append(label(data["satisfaction"], "satisfaction"))
    if action in ("callback_unreached", "callback_unreachable") and data.get("attempt"):
        parts.append(f"第 {data['attempt']} 次未接通")
    if event.note:
        parts.append(event.note)
    return " · ".join(parts)
