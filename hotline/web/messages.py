"""What staff read when something is refused: the Chinese message of every error code, with its parameters."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from ..services.errors import DomainError, Param, render
from .labels import ROLE, label

# One entry per code of hotline.services.errors.registry() (a test checks both ways); a placeholder
# is one of the code's parameters, shown through PRESENT below when it names a stored value.
ZH: dict[str, str] = {
    # DomainError
    "not_enough_history": "只有 {count} 张已办结且有分类的工单，至少需要 {minimum} 张才能重新训练。",
    # InvalidInput
    "required": "「{name}」不能为空。",
    "too_long": "「{name}」最多 {limit} 字。",
    "bad_format": "「{value}」格式不对，{name}应如 {example}。",
    "impossible_date": "「{value}」格式不对：没有这样的{name}，应如 {example}。",
    "bad_choice": "「{name}」只能是：{allowed}。",
    "whole_number_required": "「{name}」须是整数。",
    "too_small": "「{name}」不能小于 {minimum}。",
    "out_of_range": "「{name}」须在 {minimum} 到 {maximum} 之间。",
    "json_body_required": "请以 JSON 格式提交（Content-Type: application/json）。",
    "unknown_department": "没有单位「{value}」。",
    "unknown_category": "没有分类「{value}」。",
    "unknown_district": "没有属地「{value}」。",
    "already_taken": "{name}「{value}」已被占用，请换一个。",
    "year_out_of_range": "{name}的年份 {year} 超出范围。",
    "period_not_started": "{period} 还没有开始，没有数据。",
    "period_not_over": "{period} 尚未结束（{ends} 结束），还不能出正式结果；可先查看实时数据。",
    "daily_job_today_only": "每日任务只能为今天（{today}）运行，不能为 {period} 运行。",
    "unknown_job": "没有任务「{value}」，可选：{allowed}。",
    "live_or_revision": "实时数据和已发布的版本只能选一个。",
    "phone_search_not_allowed": "承办单位不能按来电号码查询。",
    "on_call_reply_required": "即来即办须填写答复内容。",
    "return_reason_required": "退单必须填写原因。",
    "extension_reason_required": "申请延期必须填写原因。",
    "extension_days_out_of_range": "延期天数须在 1 到 {limit} 个工作日之间。",
    "reply_required": "办结回复不能为空。",
    "merge_into_itself": "不能把工单合并到它自己（{number}）。",
    "difficult_reason_required": "标记疑难必须填写原因。",
    "callback_solved_required": "接通时须选择是否解决。",
    "callback_satisfaction_required": "接通时须选择满意度。",
    "bad_credit_code": "「{value}」不是有效的统一社会信用代码（18 位，不含 I、O、S、V、Z）。",
    "resolution_required": "销号须填写书面办理结果。",
    "own_parent": "上级单位不能是它自己。",
    "department_user_needs_department": "承办单位用户须选择所属单位。",
    "rule_exists": "该分类在此属地已有规则，请修改原规则。",
    "bad_time_limit": "时限「{value}」格式不对：数字加单位，如 30min、2wh、5wd、7d、2mo。",
    "model_unloadable": "模型 {version} 无法加载：{problem}",
    # NotFound
    "ticket_not_found": "找不到工单 {number}。",
    "record_not_found": "没有编号为 {id} 的{kind}，可能已被删除。",
    "model_version_not_found": "没有模型版本 {version}。",
    "enterprise_not_found": "没有统一社会信用代码为 {code} 的企业诉求记录。",
    "supervision_case_not_found": "没有督办件 {id}。",
    "override_not_found": "{day} 没有调整记录。",
    "revision_not_found": "{period} {kind}没有第 {revision} 版。",
    # Unauthorized
    "token_missing": "请先登录（缺少访问令牌）。",
    "token_expired": "登录已过期，请重新登录。",
    "token_invalid": "登录凭证无效，请重新登录。",
    "wrong_credentials": "用户名或密码错误。",
    # Forbidden
    "role_required": "此页面仅供{roles}使用；您当前的身份是{role}。",
    # InvalidTransition
    "action_not_allowed": "工单 {number} 当前状态为「{status}」，不能{action}。",
    "return_limit_reached": "工单 {number} 已退回 {count} 次（最多 {limit} 次），不能再退，请办理。",
    "return_past_sign_limit": "工单 {number} 已超过签收时限（{sign_by}），不能再退单；请办理，或请派单员改派。",
    "extension_already_requested": "工单 {number} 已申请过延期（每个单位限一次）。",
    "no_pending_extension": "工单 {number} 没有待审批的延期申请。",
    "already_difficult": "工单 {number} 已标记为疑难（主任督办），无需重复标记。",
    "supervision_case_closed": "督办件 {id} 已销号。",
    "supervision_no_responsible": "督办件 {id} 尚未填写责任人（责任清单）。",
    "supervision_steps_pending": "督办件 {id} 还有未完成的整改措施：{steps}",
    "publish_conflict": "{period} 刚刚被他人发布了一版，请刷新后再试。",
    # Conflict
    "concurrent_change": "工单 {number} 刚刚被他人处理，现在的状态是「{status}」；请刷新后再决定。",
    "supervision_concurrent_change": "督办件 {id} 刚刚被他人修改，现在的状态是「{status}」；请刷新后再决定。",
    # request-level failures
    "invalid_input": "「{name}」填写有误，请检查后重试。",
    "bad_request": "请求有误，请返回上一页检查后重试。",
    "csrf_failed": "页面已过期或缺少安全令牌（CSRF），请刷新页面后重新提交。",
    "unauthorized": "请先登录。",
    "forbidden": "您没有权限进行此操作。",
    "not_found": "您要找的页面或记录不存在，请检查地址或编号。",
    "method_not_allowed": "此地址不支持该操作（{method}）。",
    "request_entity_too_large": "提交的内容太大。",
    "unsupported_media_type": "不支持提交的内容格式。",
    "http_error": "操作未完成（HTTP {status}）。",
    "internal_error": "系统内部错误，本次操作没有保存任何内容。请重试；如仍出错，请联系管理员。",
}

# The input a `name` parameter names, as the form calls it.
FIELD = {
    "content": "诉求内容", "caller_phone": "来电号码", "caller_name": "来电人", "address": "地址", "district": "属地",
    "category": "分类", "department": "单位", "appeal_type": "诉求类型", "urgency": "紧急程度", "channel": "渠道",
    "reason": "原因", "reply": "答复", "working_days": "延期天数", "original": "原工单", "credit_code": "统一社会信用代码",
    "q": "搜索词", "page": "页码", "per_page": "每页条数", "limit": "条数", "format": "格式", "status": "状态",
    "kind": "类型", "year": "年份", "day": "日期", "period": "期间", "quarter": "季度", "revision": "版本",
    "live": "实时数据", "question": "问题", "answer": "答案", "password": "密码", "code": "编码", "name": "名称",
    "username": "用户名", "body": "提交内容",
}
# What a `kind` parameter names: a kind of record, or a kind of report.
KIND = {
    "department": "单位", "user": "用户", "category": "分类", "rule": "派单规则", "kb_entry": "知识库条目",
    "alert": "预警", "monthly": "月度通报", "annual": "年度考核",
}
# The step an `action` parameter names (an event action), as a verb after 不能.
VERB = {
    "routed": "自动派单", "queued": "转人工派单", "answered_on_call": "即来即办", "assigned": "派单", "signed": "签收",
    "returned": "退单", "extension_requested": "申请延期", "extension_approved": "批准延期",
    "extension_rejected": "驳回延期", "replied": "办结回复", "callback_unreached": "回访",
    "callback_unreachable": "回访", "reopened": "重办", "closed": "办结", "merged": "合并",
    "flagged_difficult": "标记疑难",
}


def _moment(value: Param) -> str:
    """An ISO moment as staff read it (the time of day in the zone it was written in)."""
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value)


PRESENT: dict[str, Callable[[Param], Param]] = {
    "status": lambda value: label(value, "status"),
    "action": lambda value: VERB.get(str(value)) or label(value, "action"),
    "role": lambda value: ROLE.get(value, value),
    "roles": lambda values: [ROLE.get(value, value) for value in values],
    "name": lambda value: FIELD.get(str(value), value),
    "kind": lambda value: KIND.get(str(value), value),
    "sign_by": _moment,
    "ends": _moment,
}


def zh(code: str, params: Mapping[str, Param] | None = None) -> str:
    """The Chinese message of an error code, its parameters shown as staff know them."""
    params = params or {}
    shown = {name: PRESENT[name](value) if name in PRESENT else value for name, value in params.items()}
    # A code without its Chinese is caught by the tests; should one slip through, say something true.
    return render(ZH[code], shown, join="、") if code in ZH else ZH["bad_request"]


def zh_error(error: DomainError) -> str:
    """The Chinese message of a domain error."""
    return zh(error.code, error.params)
