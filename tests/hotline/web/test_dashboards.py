"""Each role's home page opens on its day: the figures and a chart with its table."""
import re

from .conftest import MANUAL, text


def figure(body: str, id_: str) -> str:
    match = re.search(rf'id="{id_}"><div class="k">[^<]*</div><div class="v">([^<]*)</div>', body)
    assert match, id_
    return match.group(1)


@MANUAL
def test_the_operators_home_counts_todays_calls(pages):
    pages.new_call()
    pages.new_call(resolved_on_call="y", reply="已当场答复。")
    body = text(pages.get("operator", "/operator/"))
    assert "今日概况" in body
    assert figure(body, "day-calls") == "2" and figure(body, "day-spot") == "1"
    assert "今日来电（按小时）" in body and 'class="chart-table"' in body


@MANUAL
def test_the_dispatchers_home_shows_the_queue_by_age(pages):
    pages.new_call()
    body = text(pages.get("dispatcher", "/dispatcher/"))
    assert figure(body, "day-waiting") == "1" and "待派工单等待时长" in body


@MANUAL
def test_a_units_home_shows_its_flags_and_what_is_due(pages):
    pages.dispatched_call("zjj")
    body = text(pages.get("zjj", "/department/"))
    assert figure(body, "day-overdue") == "0" and "在办工单旗色" in body
    assert figure(body, "day-pending") == "0"


@MANUAL
def test_the_supervisors_home_shows_the_callbacks_due_and_the_months_rates(pages):
    pages.replied_call("zjj")
    body = text(pages.get("supervisor", "/supervisor/"))
    assert figure(body, "day-callbacks") == "1"
    assert "至今全市比率" in body and "满意率" in body
