"""Every error code has an English and a Chinese message, and the Chinese shows the parameters as staff know them."""
import re

from hotline.services.errors import placeholders, registry
from hotline.web.messages import ZH, zh

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_has_an_english_and_a_chinese_message():
    table = registry()
    assert set(ZH) == set(table), "codes without Chinese, or Chinese for no code"
    for code, entry in table.items():
        assert entry.english.strip() and not CJK.match(entry.english), code
        assert CJK.search(ZH[code]), f"{code}: the Chinese message is Chinese"
        # The Chinese may leave out an English-only detail (pydantic's wording), never invent a parameter.
        assert placeholders(ZH[code]) <= placeholders(entry.english), code


def test_every_chinese_message_renders_with_its_parameters():
    for code, entry in registry().items():
        params = {name: "X" for name in placeholders(entry.english)}
        assert "{" not in zh(code, params), code


def test_stored_values_are_shown_in_chinese():
    assert zh("action_not_allowed", {"number": "2026111600001", "action": "signed", "status": "signed"}) == (
        "工单 2026111600001 当前状态为「办理中」，不能签收。")
    assert zh("role_required", {"roles": ["supervisor", "admin"], "role": "operator"}) == (
        "此页面仅供回访督办、管理员使用；您当前的身份是话务员。")
    assert zh("record_not_found", {"kind": "rule", "id": 7}) == "没有编号为 7 的派单规则，可能已被删除。"
    assert zh("required", {"name": "password"}) == "「密码」不能为空。"
    assert zh("return_past_sign_limit", {"number": "1", "sign_by": "2026-11-16T09:00+08:00"}) == (
        "工单 1 已超过签收时限（2026-11-16 09:00），不能再退单；请办理，或请派单员改派。")
    assert zh("supervision_steps_pending", {"id": 3, "steps": ["复查", "回访"]}) == "督办件 3 还有未完成的整改措施：复查、回访"
