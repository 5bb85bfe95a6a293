"""Charts of the pages, drawn in the browser by Apache ECharts (hotline/static/vendor/echarts, served by the app).

Each builder returns a :class:`Chart`: the ECharts option as plain data, plus the same figures as a table.
The template macro ``chart`` (templates/_chart.html) writes both; static/charts.js draws the option and
hides the table on screen, while print (and a browser without JavaScript) shows the table.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

ECHARTS_VERSION = "6.1.0"
BLUE, LIGHT_BLUE, GREEN, ORANGE, PURPLE = "#1565c0", "#90caf9", "#2e7d32", "#ef6c00", "#6a1b9a"
FLAG_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "black": "#212121"}
FLAG_NAMES = {"green": "绿旗", "yellow": "黄旗", "red": "红旗", "black": "黑旗"}
ROW = 26  # pixels per category of a horizontal bar chart


@dataclass
class Chart:
    """One chart: its caption, the ECharts option, the table that says the same, and its height."""

    caption: str
    option: dict[str, Any]
    head: list[str]
    rows: list[list[str]]
    height: int = 260
    # The series whose values are percentages: their tooltip adds "%" and says 无数据 for a gap.
    percent: list[str] = field(default_factory=list)

    def option_json(self) -> str:
        """The option for the data-chart attribute: plain JSON text, which the template escapes like any value."""
        return json.dumps({"percent": self.percent, "option": self.option}, ensure_ascii=False)


def _percent(rate: float | None) -> float | None:
    """0.9876 → 98.8 (one decimal, as the report table shows it); None stays a gap."""
    return None if rate is None else round(rate * 100, 1)


def _percent_text(rate: float | None) -> str:
    """0.9876 → 98.8%; None → 无数据."""
    return "无数据" if rate is None else f"{rate * 100:.1f}%"


def _horizontal(labels: list[str], value_axis: dict[str, Any], series: list[dict[str, Any]],
                legend: bool = False) -> dict[str, Any]:
    """A horizontal bar chart, first label on top."""
    return {
        "grid": {"left": 8, "right": 48, "top": 32 if legend else 8, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        **({"legend": {"top": 0}} if legend else {}),
        "xAxis": value_axis,
        "yAxis": {"type": "category", "data": labels, "inverse": True, "axisLabel": {"width": 160, "overflow": "truncate"}},
        "series": series,
        "animation": False,
    }


def count_chart(items: list[tuple[str, int]], caption: str, unit: str = "件") -> Chart:
    """Horizontal bars of counts (e.g. tickets per unit), in the order given."""
    labels = [label for label, _ in items]
    option = _horizontal(labels, {"type": "value", "minInterval": 1}, [
        {"type": "bar", "name": caption, "data": [value for _, value in items], "itemStyle": {"color": BLUE},
         "label": {"show": True, "position": "right"}}])
    return Chart(caption, option, ["", unit], [[label, str(value)] for label, value in items],
                 height=40 + ROW * max(len(items), 1))


def rate_chart(items: list[tuple[str, float | None]], caption: str) -> Chart:
    """Horizontal bars of rates (0–1) on a 0–100 % scale; a unit without a rate has no bar (无数据)."""
    labels = [label for label, _ in items]
    option = _horizontal(labels, {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}}, [
        {"type": "bar", "name": caption, "data": [_percent(rate) for _, rate in items], "itemStyle": {"color": BLUE},
         "label": {"show": True, "position": "right", "formatter": "{c}%"}}])
    return Chart(caption, option, ["", caption], [[label, _percent_text(rate)] for label, rate in items],
                 height=40 + ROW * max(len(items), 1), percent=[caption])


def flag_chart(items: list[tuple[str, dict[str, int]]], caption: str) -> Chart:
    """Stacked bars of green / yellow / red / black counts per unit."""
    labels = [label for label, _ in items]
    series = [{"type": "bar", "name": FLAG_NAMES[name], "stack": "flags", "itemStyle": {"color": colour},
               "data": [flags.get(name, 0) for _, flags in items]} for name, colour in FLAG_COLOURS.items()]
    option = _horizontal(labels, {"type": "value", "minInterval": 1}, series, legend=True)
    rows = [[label, *(str(flags.get(name, 0)) for name in FLAG_COLOURS)] for label, flags in items]
    return Chart(caption, option, ["", *FLAG_NAMES.values()], rows, height=72 + ROW * max(len(items), 1))


def trend_chart(months: list[str], volumes: list[int], series: dict[str, list[float | None]], caption: str) -> Chart:
    """Monthly volumes as bars (left scale) with rates as lines (right scale, 0–100 %)."""
    lines = [{"type": "line", "name": name, "yAxisIndex": 1, "data": [_percent(v) for v in values],
              "itemStyle": {"color": colour}}
             for (name, values), colour in zip(series.items(), (GREEN, ORANGE, PURPLE), strict=False)]
    option = {
        "grid": {"left": 8, "right": 8, "top": 40, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [{"type": "value", "name": "派单量", "minInterval": 1},
                  {"type": "value", "name": "比率", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}}],
        "series": [{"type": "bar", "name": "派单量", "data": volumes, "itemStyle": {"color": LIGHT_BLUE}}, *lines],
        "animation": False,
    }
    head = ["月份", "派单量", *series]
    rows = [[month, str(volume), *(_percent_text(values[i]) for values in series.values())]
            for i, (month, volume) in enumerate(zip(months, volumes, strict=True))]
    return Chart(caption, option, head, rows, height=280, percent=list(series))


def column_chart(items: list[tuple[str, int]], caption: str, unit: str = "件", colour: str = BLUE) -> Chart:
    """Vertical bars of counts over ordered buckets (hours of the day, ages of a queue)."""
    option = {
        "grid": {"left": 8, "right": 8, "top": 16, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "category", "data": [label for label, _ in items]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": caption, "data": [value for _, value in items],
                    "itemStyle": {"color": colour}}],
        "animation": False,
    }
    return Chart(caption, option, ["", unit], [[label, str(value)] for label, value in items], height=220)


def flag_count_chart(flags: dict[str, int], caption: str) -> Chart:
    """One bar per flag colour, in that colour (a unit's open tickets)."""
    names = list(FLAG_COLOURS)
    option = {
        "grid": {"left": 8, "right": 8, "top": 16, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "category", "data": [FLAG_NAMES[n] for n in names]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": caption, "label": {"show": True, "position": "top"},
                    "data": [{"value": flags.get(n, 0), "itemStyle": {"color": FLAG_COLOURS[n]}} for n in names]}],
        "animation": False,
    }
    return Chart(caption, option, ["", "件"], [[FLAG_NAMES[n], str(flags.get(n, 0))] for n in names], height=200)
