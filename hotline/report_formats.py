"""A report (monthly 通报 or annual 考核) as CSV, XLSX or a standalone HTML page with SVG charts."""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, render_template
from markupsafe import Markup, escape

from .export_cells import inert_row

# (key in a line, Chinese heading, kind): kind "n" count, "r" rate, "s" score/rank text.
COLUMNS: list[tuple[str, str, str]] = [
    ("rank", "排名", "n"),
    ("score", "综合得分", "s"),
    ("assigned", "派单量", "n"),
    ("returned", "退单", "n"),
    ("rates.return", "退单率", "r"),
    ("repeat_complaints", "重复投诉", "n"),
    ("handled", "承办量", "n"),
    ("due_to_sign", "应签收", "n"),
    ("signed_on_time", "按时签收", "n"),
    ("rates.sign_on_time", "签收及时率（响应率）", "r"),
    ("due_to_reply", "应办结", "n"),
    ("replied_on_time", "按时办结", "n"),
    ("rates.reply_on_time", "按时办结率", "r"),
    ("overdue", "超期件", "n"),
    ("replied", "已答复", "n"),
    ("called_back", "已回访", "n"),
    ("rates.callback", "回访率", "r"),
    ("unreachable", "无法联系", "n"),
    ("reached", "回访接通", "n"),
    ("solved", "已解决", "n"),
    ("rates.solved", "解决率", "r"),
    ("satisfied", "满意", "n"),
    ("basically_satisfied", "基本满意", "n"),
    ("unsatisfied", "不满意", "n"),
    ("rates.satisfaction", "满意率", "r"),
    ("reopened", "重办件", "n"),
    ("rates.reopen", "重办率", "r"),
    ("flags.green", "绿旗", "n"),
    ("flags.yellow", "黄旗", "n"),
    ("flags.red", "红旗", "n"),
    ("flags.black", "黑旗", "n"),
    ("paused", "挂起工单", "n"),  # monthly only (hotline/services/cycle/practice_figures.py)
    ("paused_minutes", "挂起工作分钟", "n"),
]
FLAG_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "black": "#212121"}
KIND_TITLES = {"monthly": "月度通报", "annual": "年度考核"}


def value(line: dict[str, Any], key: str) -> Any:
    """A dotted key (rates.solved) of a report line."""
    for part in key.split("."):
        line = line.get(part) if isinstance(line, dict) else None
    return line


def rows(report: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(department {code, name}, line) for each unit, then the city-wide line."""
    result = [(line["department"], line) for line in report["departments"]]
    if report.get("city"):
        result.append(({"code": "city", "name": "全市"}, report["city"]))
    return result


def title(report: dict[str, Any]) -> str:
    """十一月 2026 → 2026年11月 月度通报."""
    period = report["period"]
    when = f"{period[:4]}年{int(period[5:7])}月" if report["kind"] == "monthly" else f"{period}年度"
    return f"12345政务服务便民热线 {when}{KIND_TITLES.get(report['kind'], '')}"


def filename(report: dict[str, Any], extension: str) -> str:
    """hotline-monthly-2026-11-r2.csv (r0: live figures)."""
    revision = (report.get("published") or {}).get("revision", 0)
    return f"hotline-{report['kind']}-{report['period']}-r{revision}.{extension}"


def as_csv(report: dict[str, Any]) -> Response:
    """One row per unit plus the city; Chinese headings as in the XLSX, rates as fractions, empty where undefined."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["单位代码", "承办单位", *(heading for _, heading, _ in COLUMNS)])
    for department, line in rows(report):
        writer.writerow(inert_row([department["code"], department["name"],
                                   *("" if value(line, key) is None else value(line, key) for key, _, _ in COLUMNS)]))
    # The BOM lets Excel open the Chinese names as UTF-8.
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename(report, 'csv')}"})


def as_xlsx(report: dict[str, Any]) -> Response:
    """A workbook: the report with Chinese headings and percentage cells, and a sheet of definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "通报"
    sheet.append([title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(inert_row([status_line(report)]))
    sheet.append([])
    sheet.append(["承办单位", *(heading for _, heading, _ in COLUMNS)])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for department, line in rows(report):
        sheet.append(inert_row([department["name"], *(value(line, key) for key, _, _ in COLUMNS)]))
        for column, (_, _, kind) in enumerate(COLUMNS, start=2):
            if kind == "r":
                sheet.cell(row=sheet.max_row, column=column).number_format = "0.00%"
    sheet.column_dimensions["A"].width = 30
    notes = book.create_sheet("口径")
    for line in DEFINITIONS:
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(buffer.getvalue(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={filename(report, 'xlsx')}"})


DEFINITIONS = [
    "统计口径（详见 docs/metrics.md）",
    "计入月份：工单首次派往该单位的派单事件所在月份（北京时间）。",
    ("签收及时率 = 按时签收 / 应签收：工单在该单位的每一轮（派单、每次重办各为一轮）都计入，"
     "任一轮已签收或截至统计时点已超签收时限即为应签收，每一轮都未超时限签收才算按时签收。"),
    ("按时办结率 = 按时办结 / 应办结：同样按每一轮计，任一轮已答复或已超办结时限即为应办结，"
     "每一轮都在办结时限内答复才算按时办结（重办前首轮答复超期，仍计为超期件）。"),
    "回访率 = 已回访（回访接通或三次无法联系的工单）/ 已答复。",
    ("回访接通、已解决、满意、基本满意、不满意按每一次接通的回访计：每次回访评价它所跟随的那一轮办理，"
     "计入回访时的承办单位和回访所在月份（重办后满意的工单计一次不满意、一次满意）；即来即办的回访只计入全市。"),
    "解决率 = 已解决 / 回访接通；满意率 =（满意 + 基本满意）/ 回访接通。",
    "退单率 = 退单 / 派单量；重办率 = 重办件 / 已答复。",
    "分母为零的比率留空（不计为 0 或 100%）。",
    "综合得分 = 100 ×（响应率×权重 + 解决率×权重 + 满意率×权重）/ 权重和；三率缺一不评分、不排名。",
]


def wall_clock(moment: str) -> str:
    """2026-12-01T10:00:00+08:00 → 2026-12-01 10:00 (reports are in the city's zone)."""
    return moment[:16].replace("T", " ")


def status_line(report: dict[str, Any]) -> str:
    """统计截至 … ；第 n 版 published … / 实时数据."""
    published = report.get("published")
    if published:
        who = published.get("published_by") or "系统定时任务"
        return (f"统计截至 {wall_clock(report['as_of'])}；已发布第 {published['revision']} 版"
                f"（{wall_clock(published['published_at'])}，{who}）")
    return f"统计截至 {wall_clock(report['as_of'])}；实时数据，未发布"


def bar_chart(items: list[tuple[str, float | None]], caption: str) -> Markup:
    """A horizontal bar chart of rates (0–1) as inline SVG; units without a rate show 无数据."""
    label_width, bar_width, row, top = 200, 360, 22, 28
    height = top + row * len(items) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 70}" height="{height}" '
             f'role="img" aria-label="{escape(caption)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(caption)}</text>']
    for index, (label, rate) in enumerate(items):
        y = top + index * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="{row - 8}" fill="#eeeeee"/>')
        if rate is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + 15}" font-size="11" fill="#777">无数据</text>')
            continue
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_width * rate:.1f}" height="{row - 8}" '
                     f'fill="#1565c0"/>')
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 15}" font-size="12">{rate * 100:.2f}%</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def flag_chart(items: list[tuple[str, dict[str, int]]], caption: str) -> Markup:
    """Stacked bars of green/yellow/red/black counts per unit, as inline SVG."""
    label_width, bar_width, row, top = 200, 360, 22, 46
    most = max([sum(flags.values()) for _, flags in items] + [1])
    height = top + row * len(items) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 70}" height="{height}" '
             f'role="img" aria-label="{escape(caption)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(caption)}</text>']
    for index, (name, label) in enumerate((("green", "绿"), ("yellow", "黄"), ("red", "红"), ("black", "黑"))):
        parts.append(f'<rect x="{label_width + index * 60}" y="24" width="12" height="12" fill="{FLAG_COLOURS[name]}"/>'
                     f'<text x="{label_width + index * 60 + 16}" y="34" font-size="12">{label}旗</text>')
    for index, (label, flags) in enumerate(items):
        y = top + index * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
                     f'{escape(label)}</text>')
        x = float(label_width)
        for name, colour in FLAG_COLOURS.items():
            width = bar_width * flags.get(name, 0) / most
            if width:
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row - 8}" fill="{colour}"/>')
                x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">{sum(flags.values())}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def as_html(report: dict[str, Any]) -> str:
    """The standalone Chinese page: summary, three charts, the full table, the definitions."""
    charted = [line for line in report["departments"] if line["assigned"]]
    charts = [
        bar_chart([(line["department"]["name"], line["rates"]["satisfaction"]) for line in charted], "满意率"),
        bar_chart([(line["department"]["name"], line["rates"]["reply_on_time"]) for line in charted], "按时办结率"),
        flag_chart([(line["department"]["name"], line["flags"]) for line in charted], "红绿黑旗（承办工单）"),
    ]
    return render_template(
        "reports/report.html", report=report, title=title(report), status=status_line(report), charts=charts,
        columns=COLUMNS, rows=rows(report), value=value, definitions=DEFINITIONS,
    )
