"""The day at a glance on each role's home page: one service call (hotline.services.dashboards) and its charts."""
from __future__ import annotations

from typing import Any

from ..db import get_session
from ..services import dashboards
from .auth import current_user
from .charts import column_chart, count_chart, flag_count_chart, rate_chart
from .common import now, policy


def operator_panel() -> dict[str, Any]:
    """The operator's calls today by hour, and the open repeats."""
    day = dashboards.operator_day(get_session(), current_user(), policy(), now())
    return {"day": day, "day_charts": [column_chart(day.by_hour, "今日来电（按小时）")]}


def dispatcher_panel() -> dict[str, Any]:
    """The queue by time waiting."""
    day = dashboards.dispatcher_day(get_session(), policy(), now())
    return {"day": day, "day_charts": [column_chart(day.by_age, "待派工单等待时长")]}


def unit_panel() -> dict[str, Any]:
    """The unit's due today, overdue, flags and pending decisions."""
    day = dashboards.unit_day(get_session(), current_user(), policy(), now())
    return {"day": day, "day_charts": [flag_count_chart(day.flags, "在办工单旗色")]}


def supervisor_panel() -> dict[str, Any]:
    """Callbacks due, overdue units, alerts, this month's rates so far."""
    day = dashboards.supervisor_day(get_session(), policy(), now())
    names = dict(dashboards.MONTH_RATES)
    charts = [rate_chart([(names[key], rate) for key, rate in day.rates.items()], f"{day.month} 至今全市比率")]
    if day.overdue_units:
        charts.append(count_chart(day.overdue_units, "超期工单最多的单位"))
    return {"day": day, "day_charts": charts}
