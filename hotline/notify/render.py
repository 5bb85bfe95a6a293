"""The text of each notification, rendered when it is sent (in the city's time zone)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from models import OutboxMessage

TITLES = {
    "new_ticket": "新工单",
    "reopened": "工单重办",
    "urged": "工单催办",
    "deadline_near": "工单即将到期",
    "extension_decided": "延期申请已审批",
    "pause_decided": "挂起申请已审批",
    "resumed": "工单恢复计时",
    "receipt": "受理回执",
    "reply": "办理结果",
}
DECISIONS = {"extension_approved": "同意", "extension_rejected": "不同意",
             "pause_approved": "同意（停止计时）", "pause_rejected": "不同意"}
DEADLINES = {"sign": "签收", "reply": "办结"}


@dataclass(frozen=True)
class Rendered:
    """A message's subject and plain text."""

    subject: str
    text: str


def _local(value: str | None, tz: ZoneInfo) -> str:
    return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "—"


def render(message: OutboxMessage, tz: ZoneInfo) -> Rendered:
    """Subject and text of a message from its kind and payload."""
    p = message.payload or {}
    number = p.get("number", "")
    subject = f"【12345】{TITLES.get(message.kind, message.kind)} {number}"
    if message.kind == "receipt":
        return Rendered(subject, f"【12345】您的诉求已受理，工单编号 {number}，可凭编号和手机号后四位查询办理进度。")
    if message.kind == "reply":
        return Rendered(subject, f"【12345】您的工单 {number} 已办结：{p.get('reply', '')[:200]}")
    lines = [f"工单编号：{number}", f"标题：{p.get('title', '')}",
             f"签收时限：{_local(p.get('sign_by'), tz)}", f"办结时限：{_local(p.get('reply_by'), tz)}"]
    if message.kind in ("deadline_near", "urged"):
        lines.insert(0, f"{DEADLINES.get(p.get('deadline'), '')}时限{'将到' if message.kind == 'deadline_near' else '已过'}，请尽快办理。")
    if message.kind == "extension_decided":
        lines.insert(0, f"延期申请审批结果：{DECISIONS.get(p.get('decision'), p.get('decision'))}。")
    if message.kind == "pause_decided":
        lines.insert(0, f"挂起申请审批结果：{DECISIONS.get(p.get('decision'), p.get('decision'))}。")
    if message.kind == "resumed":
        lines.insert(0, "工单已恢复计时，办结时限已按挂起的工作时间顺延。")
    if p.get("co_unit"):  # a co-handling unit's copy: the lead unit replies, this unit gives its part
        lines.insert(0, f"本单位（{p['co_unit']}）为协办单位，请在工单页提交协办意见；主办单位：{p.get('department') or '—'}。")
    if p.get("note"):
        lines.append(f"说明：{p['note']}")
    return Rendered(subject, "\n".join(lines))
