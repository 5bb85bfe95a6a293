"""合并件回访 on the callback page: the merged caller is listed once the original closes, and recorded there."""
from models import EventAction
from tests.builders import ticket_row

from .conftest import MANUAL, text

pytestmark = MANUAL


def test_the_callback_page_lists_the_merged_caller_and_records_the_outcome(pages, session):
    original = pages.replied_call()
    duplicate = pages.new_call(caller_phone="13900009999", content="小区楼道墙皮又掉了，物业还是不维修，请尽快处理。")
    assert pages.post("dispatcher", f"/dispatcher/tickets/{duplicate}/merge", {"original": original}).status_code == 302
    assert 'id="merged-callbacks"' not in text(pages.get("supervisor", "/supervisor/?scope=all"))
    pages.post("supervisor", f"/supervisor/callbacks/{original}", {
        f"cb{original}-reached": "1", f"cb{original}-solved": "1", f"cb{original}-satisfaction": "satisfied"})
    page = text(pages.get("supervisor", "/supervisor/?scope=all"))
    assert f'id="m-{duplicate}"' in page and "13900009999" in page
    saved = pages.post("supervisor", f"/supervisor/merged-callbacks/{duplicate}", {
        f"mcb{duplicate}-reached": "1", f"mcb{duplicate}-solved": "1", f"mcb{duplicate}-satisfaction": "satisfied"},
        follow_redirects=True)
    assert "来电人回访已记录" in text(saved) and f'id="m-{duplicate}"' not in text(saved)
    assert ticket_row(session, duplicate).events[-1].action == EventAction.CALLED_BACK_WITH_ORIGINAL
    refused = pages.post("supervisor", f"/supervisor/merged-callbacks/{duplicate}", {f"mcb{duplicate}-reached": "0"},
                         follow_redirects=True)
    assert "不能" in text(refused)
