"""Every error code and system note has an English and a Chinese text; the Chinese shows parameters as staff know them."""
import re

from hotline.services.errors import placeholders, registry
from hotline.services.notes import NOTES, note
from hotline.web.messages import NOTE_ZH, ZH, event_text, zh, zh_note
from models import EventAction, TicketEvent

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


def test_every_system_note_has_an_english_and_a_chinese_text():
    assert set(NOTE_ZH) == set(NOTES), "notes without Chinese, or Chinese for no note"
    for code, english in NOTES.items():
        assert english.strip() and not CJK.search(english.replace("(催办)", "")), code
        assert CJK.search(NOTE_ZH[code]), f"{code}: the Chinese note is Chinese"
        assert placeholders(NOTE_ZH[code]) <= placeholders(english), code
        kept = note(code, **{name: 0.5 for name in placeholders(english)}).as_data()
        assert "{" not in zh_note(kept), code


def test_a_system_note_is_shown_in_chinese_and_an_older_one_as_written():
    repeat = note("repeat_of", original="2026111600001", reason="same_place")
    assert repeat.text == "repeat of 2026111600001 (same_place)"
    assert zh_note(repeat.as_data(), repeat.text) == "重复件：原工单 2026111600001（同一地点）"
    queued = note("below_threshold", probability=0.4321, threshold=0.6)
    assert queued.text == "confidence 0.43 below threshold 0.60"
    event = TicketEvent(action=EventAction.QUEUED, note=queued.text, data={"note": queued.as_data()})
    assert event_text(event) == "置信度 43.2% 低于自动派单阈值 60.0%"
    # Written before notes had codes: no code, so the English as it was written, untranslated.
    older = TicketEvent(action=EventAction.QUEUED, note="confidence 0.43 below threshold 0.60", data=None)
    assert event_text(older) == "confidence 0.43 below threshold 0.60"
    assert zh_note({"code": "no_such_note", "params": {}}, "as written") == "as written"


def test_time_limits_read_as_staff_say_them():
    from hotline.web.labels import limit_text

    assert [limit_text(x) for x in ("2wh", "5wd", "30min", "24h", "7d", "2mo")] == [
        "2 个工作小时", "5 个工作日", "30 分钟", "24 小时", "7 天", "2 个月"]
    assert limit_text("nonsense") == "nonsense"


def test_pages_show_no_setting_codes(pages):
    from .conftest import text

    limits = text(pages.get("admin", "/admin/time-limits"))
    assert "2 个工作小时" in limits and "5 个工作日" in limits
    models = text(pages.get("admin", "/admin/models"))
    assert "bundled" not in models
