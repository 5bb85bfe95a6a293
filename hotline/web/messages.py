"""What staff read in Chinese: the message of every error code, and of every note the system writes."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from ..services import notes
from ..services.errors import DomainError, Param, render
from .labels import REPEAT_REASON, ROLE, label, percent

# One entry per code of hotline.services.errors.registry() (a test checks both ways); a placeholder
# is one of the code's parameters, shown through PRESENT below when it names a stored value.
ZH: dict[str, str] = {
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
    "retrain_needs_models": "重新训练任务需要在用的模型、内置数据和模型目录。",
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
    "kb_entry_inactive": "知识库条目 {id} 不存在或已停用，请重新选择答复。",
    "json_too_deep": "提交的数据嵌套层次太深。",
    "unstorable_character": "「{name}」含有无法保存的字符（如空字符），请删除后重试。",
    "schedule_bad_line": "第 {line} 行「{text}」格式不对，应如「2027-10-01~2027-10-07 休 国庆节」或「2027-09-26 班 国庆调休」。",
    "schedule_no_such_day": "第 {line} 行「{text}」中的日期不存在。",
    "schedule_outside_year": "第 {line} 行「{text}」不是 {year} 年内的日期范围。",
    "schedule_day_twice": "第 {line} 行：{day} 重复列出。",
    "schedule_empty": "{year} 年的安排中没有任何日期。",
    "package_invalid": "城市资料包有 {count} 处问题，未导入任何内容。",
    "self_demotion": "不能取消自己的管理员身份或停用自己（以免无人管理）。",
    "secret_too_short": "Webhook 签名密钥至少 {minimum} 位。",
    "unknown_service": "没有服务代码「{value}」。",
    "date_range_too_wide": "结束时间须在开始时间之后，且相隔不超过 {days} 天。",
    "file_too_large": "「{name}」超过 {limit} MB。",
    "too_many_attachments": "每张工单最多 {limit} 个附件。",
    "unsupported_file": "附件只能是照片（JPEG、PNG、GIF、WebP）或 PDF。",
    "media_url_not_public": "图片地址必须是公网地址。",
    "callback_phone_required": "请填写联系电话：热线会回访每一位市民。",
    "lat_long_together": "经度和纬度须同时填写。",
    "location_required": "请填写位置：经纬度或地址。",
    "step_action_required": "第 {index} 项整改措施须填写内容。",
    "wrong_password": "当前密码不正确。",
    "password_too_short": "新密码至少 {minimum} 位。",
    "password_unchanged": "新密码不能与当前密码相同。",
    "too_many_selected": "一次最多选择 {limit} 项。",
    # NotFound
    "ticket_not_found": "找不到工单 {number}。",
    "record_not_found": "没有编号为 {id} 的{kind}，可能已被删除。",
    "model_version_not_found": "没有模型版本 {version}。",
    "enterprise_not_found": "没有统一社会信用代码为 {code} 的企业诉求记录。",
    "supervision_case_not_found": "没有督办件 {id}。",
    "override_not_found": "{day} 没有调整记录。",
    "revision_not_found": "{period} {kind}没有第 {revision} 版。",
    "service_not_found": "没有服务代码「{code}」。",
    "service_request_not_found": "找不到诉求 {number}。",
    "open311_token_not_found": "找不到令牌 {token}。",
    "no_matching_ticket": "未找到匹配的工单：请核对工单编号和来电手机号后四位。",
    # Unauthorized
    "token_missing": "请先登录（缺少访问令牌）。",
    "token_expired": "登录已过期，请重新登录。",
    "token_invalid": "登录凭证无效，请重新登录。",
    "wrong_credentials": "用户名或密码错误。",
    "not_counted_in_period": "工单 {number} 不计入本单位 {period} 的通报。",
    "item_not_counted": "工单 {number} 没有计入本单位的「{item}」，无需核减。",
    # 分级解决, handlers inside a unit (InvalidInput)
    "grade_a_on_call_only": "A 级只用于即来即办（电话中当场答复）的工单。",
    "grade_on_call_is_a": "即来即办的工单为 A 级，不能定为 {grade} 级。",
    "co_units_required": "C 级须至少选择一个协办单位。",
    "co_units_only_for_c": "主办、协办单位只用于 C 级工单。",
    "co_unit_is_lead": "「{code}」是主办单位，不能同时协办。",
    "lead_not_ticket_unit": "主办单位是工单当前的承办单位「{current}」，不是「{code}」；如需更换请改派。",
    "handler_or_round_robin": "请选择承办人，或选择轮流分配（二者选一）。",
    "handler_not_in_unit": "「{username}」不是 {department} 的在岗承办人。",
    # Forbidden
    "role_required": "此页面仅供{roles}使用；您当前的身份是{role}。",
    "api_key_unknown": "api_key 缺失或无效。",
    "identity_hidden_from_units": "工单 {number} 的来电人要求保密，承办单位不能查看来电人信息。",
    "password_change_required": "当前密码是一次性初始密码，请先设置自己的密码。",
    # InvalidTransition
    "action_not_allowed": "工单 {number} 当前状态为「{status}」，不能{action}。",
    "return_limit_reached": "工单 {number} 已退回 {count} 次（最多 {limit} 次），不能再退，请办理。",
    "return_past_sign_limit": "工单 {number} 已超过签收时限（{sign_by}），不能再退单；请办理，或请派单员改派。",
    "extension_already_requested": "工单 {number} 本轮办理已申请过延期（每轮办理限一次，重办或重新派单后可再申请）。",
    "no_pending_extension": "工单 {number} 没有待审批的延期申请。",
    "already_difficult": "工单 {number} 已标记为疑难（主任督办），无需重复标记。",
    "supervision_case_closed": "督办件 {id} 已销号。",
    "supervision_no_responsible": "督办件 {id} 尚未填写责任人（责任清单）。",
    "supervision_steps_pending": "督办件 {id} 还有未完成的整改措施：{steps}",
    "publish_conflict": "{period} 刚刚被他人发布了一版，请刷新后再试。",
    "outbox_not_dead": "通知 {id} 的状态是 {status}，不是发送失败，无需重发。",
    "already_paused": "工单 {number} 已在挂起中。",
    "pause_already_pending": "工单 {number} 已有待审批的挂起申请。",
    "no_pending_pause": "工单 {number} 没有待审批的挂起申请。",
    "not_paused": "工单 {number} 未挂起，无需恢复计时。",
    "report_not_published": "{period} 月度通报尚未发布，暂不能申诉。",
    "appeal_window_closed": "{period} 的申诉期已于 {closed} 截止。",
    "count_appeal_exists": "工单 {number} 的「{item}」已提出核减申请（第 {id} 号）。",
    "count_appeal_decided": "核减申请 {id} 已处理（{status}）。",
    "grade_unchanged": "工单 {number} 已是 {grade} 级（协办单位相同），无需修改。",
    "not_a_co_unit": "{department} 不是工单 {number} 的协办单位。",
    "co_unit_already_replied": "{department} 已提交过工单 {number} 的协办意见。",
    "handler_unchanged": "工单 {number} 的承办人已是 {username}。",
    "no_active_handler": "{department} 没有在岗承办人，无法分配工单 {number}。",
    "notes_closed": "工单 {number} 已办结，不能再添加备注。",
    "callback_too_soon": "工单 {number} 上次未接通的回访在 {last}，两次回访至少间隔 {hours} 小时，请于 {next_at} 之后再拨。",
    "supervision_ticket_open": "督办件 {id} 的工单 {number} 仍未办结（「{status}」），如需销号请填写原因。",
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
    "too_many_requests": "查询过于频繁，请稍候一分钟再试。",
    "too_many_logins": "登录失败次数过多，请 {seconds} 秒后再试。",
    "database_unavailable": "数据库暂时无法连接，本次操作没有保存任何内容。请稍候几秒后重试；如持续出现，请联系管理员。",
    "http_error": "操作未完成（HTTP {status}）。",
    "internal_error": "系统内部错误，本次操作没有保存任何内容。请重试；如仍出错，请联系管理员。",
    "channel_host_required": "「{channel}」渠道须填写接听领导或活动名称。",
    "channel_host_not_allowed": "只有领导接听日和企业家接待日渠道填写接听领导或活动名称，「{channel}」不填。",
    "unknown_ticket": "没有工单 {value}。",
    "deadline_in_past": "办结期限 {deadline} 须晚于现在。",
    "batch_not_found": "没有交办批次 {id}。",
    "batch_ticket_busy": "工单 {number} 正由其他单位办理（{status}），不能集中交办。",
    "batch_ticket_closed": "工单 {number} 已办结，集中交办只交办未办结的工单。",
    "ticket_in_open_batch": "工单 {number} 已在未销号的交办批次 {batch} 中。",
    "batch_already_closed": "交办批次 {id} 已销号。",
    "batch_tickets_open": "交办批次 {id} 还有 {count} 张工单未办结，全部办结后才能销号。",
    "no_pending_revisit": "工单 {number} 不在回头看名单中。",
    "batch_concurrent_change": "交办批次 {id} 刚被他人修改，现为「{status}」，请刷新后重试。",
}

# The input a `name` parameter names, as the form calls it.
FIELD = {
    "numbers": "要派的工单", "alert_ids": "要处理的预警",
    "content": "诉求内容", "caller_phone": "来电号码", "caller_name": "来电人", "address": "地址", "district": "属地",
    "category": "分类", "department": "单位", "appeal_type": "诉求类型", "urgency": "紧急程度", "channel": "渠道",
    "reason": "原因", "reply": "答复", "working_days": "延期天数", "original": "原工单", "credit_code": "统一社会信用代码",
    "q": "搜索词", "page": "页码", "per_page": "每页条数", "limit": "条数", "format": "格式", "status": "状态",
    "kind": "类型", "year": "年份", "day": "日期", "period": "期间", "quarter": "季度", "revision": "版本",
    "live": "实时数据", "question": "问题", "answer": "答案", "password": "密码", "code": "编码", "name": "名称",
    "username": "用户名", "body": "提交内容",
    "file": "附件", "source": "来源", "secret": "签名密钥", "number": "工单编号", "phone_tail": "手机号后四位",
    "description": "诉求内容", "media_url": "图片地址", "media": "图片", "lat": "纬度", "long": "经度",
    "start_date": "开始时间", "end_date": "结束时间", "attribute[appeal_type]": "诉求类型",
    "note": "说明", "ticket": "工单编号", "item": "核减事项", "emergency.service": "应急转接去向",
    "emergency.note": "转接时告知的情况",
    "grade": "分级", "lead": "主办单位", "co_units": "协办单位", "handler": "承办人",
}
# What a `kind` parameter names: a kind of record, or a kind of report.
KIND = {
    "department": "单位", "user": "用户", "category": "分类", "rule": "派单规则", "kb_entry": "知识库条目",
    "alert": "预警", "monthly": "月度通报", "annual": "年度考核",
    "outbox_message": "通知", "notify_target": "通知渠道", "attachment": "附件", "thumbnail": "缩略图",
    "count_appeal": "核减申请",
}
# The step an `action` parameter names (an event action), as a verb after 不能.
VERB = {
    "routed": "自动派单", "queued": "转人工派单", "answered_on_call": "即来即办", "assigned": "派单", "signed": "签收",
    "returned": "退单", "extension_requested": "申请延期", "extension_approved": "批准延期",
    "extension_rejected": "驳回延期", "replied": "办结回复", "callback_unreached": "回访",
    "callback_unreachable": "回访", "reopened": "重办", "closed": "办结", "merged": "合并",
    "flagged_difficult": "标记疑难",
    "pause_requested": "申请挂起", "pause_approved": "批准挂起", "pause_rejected": "驳回挂起", "resumed": "恢复计时",
    "emergency_handed_off": "转交应急",
    "graded": "分级", "co_unit_replied": "提交协办意见", "handler_assigned": "分配承办人",
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
    "closed": _moment,
    "item": lambda value: label(value, "count_appeal_item"),
    "channel": lambda value: label(value, "channel"),
    "deadline": _moment,
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


# One entry per code of hotline.services.notes.NOTES (a test checks both ways).
NOTE_ZH: dict[str, str] = {
    "auto_dispatched": "模型判定「{category}」，置信度 {probability}，自动派单",
    "below_threshold": "置信度 {probability} 低于自动派单阈值 {threshold}",
    "no_routing_rule": "分类「{category}」没有派单规则",
    "empty_text": "内容太少，模型无法判断",
    "no_model": "没有可用的分类模型，请人工派单",
    "no_trained_model": "没有可用的分类模型，请人工派单",
    "model_not_loaded": "分类模型 {version} 无法加载，请人工派单",
    "routing_failed": "自动分类失败，请人工派单",
    "repeat_of": "重复件：原工单 {original}（{reason}）",
    "repeated_by": "被工单 {repeat} 重复反映（{reason}）",
    "repeat_of_merged": "重复件：随合并改挂原工单 {original}",
    "merged_into": "已并入工单 {original}",
    "merged_here": "工单 {repeat} 已并入本工单",
    "unlinked_by_merge": "工单 {repeat} 已并入工单 {original}，不再计入本工单",
    "deadline_missed": "超过{deadline}时限（催办）",
    "batch_handed_over": "集中交办（批次 {batch}）",
    "retrain_no_champion": "已启用：此前没有在用的模型",
    "retrain_no_worse": "已启用：在 {holdout} 张近期工单上不差于 {champion}",
    "retrain_worse_accuracy": "未启用，保留 {champion}：准确率差 {difference:+.3f}，95% 区间下限 {ci_low:+.3f}（允许 -{margin:.3f}）",
    "retrain_worse_coverage": "未启用，保留 {champion}：目标精确率下的自动派单覆盖率 {challenger:.3f}，原模型 {before:.3f}",
    "retrain_worse_auto_dispatch": "未启用，保留 {champion}：按新模型自身阈值 {threshold}，近期检验工单自动派单比例 {challenger:.3f}，原模型 {before:.3f}",
    "retrain_worse_category": "未启用，保留 {champion}：分类「{category}」召回率 {challenger:.3f}，原模型 {before:.3f}",
    "retrain_not_enough_holdout": "未训练：可留作检验的近期办结工单只有 {count} 张，至少需要 {minimum} 张",
    "retrain_not_enough_history": "未训练：已办结且有分类的工单只有 {count} 张，至少需要 {minimum} 张",
}
NOTE_PRESENT: dict[str, Callable[[Param], Param]] = {
    "probability": lambda value: percent(value, "down") if isinstance(value, float | int) else value,
    "threshold": lambda value: percent(value, "up") if isinstance(value, float | int) else value,
    "reason": lambda value: REPEAT_REASON.get(str(value), value),
    "deadline": lambda value: {"sign": "签收", "reply": "办结"}.get(str(value), value),
}


def zh_note(kept: Mapping | None, english: str = "") -> str:
    """A system note kept as {code, params}, in Chinese; without one (older rows), the English as written."""
    note = notes.from_data(kept)
    if note is None or note.code not in NOTE_ZH:
        return english or ""
    shown = {name: NOTE_PRESENT[name](value) if name in NOTE_PRESENT else value
             for name, value in note.params.items()}
    return render(NOTE_ZH[note.code], shown, join="、")


def routing_text(ticket) -> str:
    """Why the router left the ticket to a dispatcher, in Chinese."""
    return zh_note(ticket.routing_reason, ticket.routing_note)


def event_text(event) -> str:
    """What an event's note and data say, in Chinese, for the ticket's history."""
    action = event.action.value
    data = event.data or {}
    if action == "created":
        return ""  # its note is the channel, shown apart
    if notes.from_data(data.get("note")) is not None:
        return zh_note(data["note"], event.note)
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
    parts.extend(_coordination_text(action, data))
    if event.note:
        parts.append(event.note)
    return " · ".join(parts)


def _coordination_text(action: str, data: dict) -> list[str]:
    """The history's words for a grade change, a co-unit's part and a handler change."""
    if action == "graded" and data.get("grade"):
        words = [f"{data.get('previous', '?')} 级 → {label(data['grade'], 'grade')}"]
        if data.get("co_units"):
            words.append("协办：" + "、".join(data["co_units"]))
        return words
    if action == "co_unit_replied" and data.get("co_unit"):
        return [f"协办单位 {data['co_unit']}"]
    if action == "handler_assigned" and data.get("handler"):
        moved = f"由 {data['previous']} 改派给 " if data.get("previous") else "分配给 "
        return [moved + data["handler"] + ("（轮流分配）" if data.get("round_robin") else "")]
    return []
