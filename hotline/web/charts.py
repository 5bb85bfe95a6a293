"""Small inline SVG charts for the report pages (no JavaScript library, nothing to download)."""
from __future__ import annotations

from markupsafe import Markup, escape

BLUE, GREY, GREEN, ORANGE = "#1565c0", "#e4e7eb", "#2e7d32", "#ef6c00"


def count_chart(items: list[tuple[str, int]], caption: str) -> Markup:
    """Horizontal bars of counts (e.g. tickets per unit), longest first as given."""
    label_width, bar_width, row, top = 200, 340, 22, 28
    most = max([value for _, value in items] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 60}" '
             f'height="{top + row * len(items) + 8}" role="img" aria-label="{escape(caption)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(caption)}</text>']
    for index, (label, value) in enumerate(items):
        y = top + index * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_width * value / most:.1f}" '
                     f'height="{row - 8}" fill="{BLUE}"/>')
        parts.append(f'<text x="{label_width + bar_width * value / most + 6:.1f}" y="{y + 15}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_chart(months: list[str], volumes: list[int], series: dict[str, list[float | None]], caption: str) -> Markup:
    """Monthly volumes as bars (left scale) with rates as lines (right scale, 0–100 %)."""
    width, height, left, right, top, bottom = 620, 250, 46, 46, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(months), 1)
    most = max(volumes + [1])
    colours = [GREEN, ORANGE, "#6a1b9a"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(caption)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(caption)}</text>']
    for fraction in (0, 0.5, 1):  # grid and the two scales
        y = top + plot_h * (1 - fraction)
        count = most * fraction
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GREY}"/>')
        if count == int(count):  # no half tickets on the count scale
            parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{int(count)}</text>')
        parts.append(f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" font-size="11">{int(fraction * 100)}%</text>')
    for index, (month, volume) in enumerate(zip(months, volumes, strict=True)):
        x = left + index * step
        bar_h = plot_h * volume / most
        parts.append(f'<rect x="{x + step * 0.2:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step * 0.6:.1f}" '
                     f'height="{bar_h:.1f}" fill="#90caf9"><title>{escape(month)}：{volume} 件</title></rect>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle">'
                     f'{escape(month)}</text>')
    for colour, (name, values) in zip(colours, series.items(), strict=False):
        points = [(left + i * step + step / 2, top + plot_h * (1 - v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    legend_x = left
    parts.append(f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="#90caf9"/>'
                 f'<text x="{legend_x + 14}" y="{height - 5}" font-size="11">派单量</text>')
    for index, (colour, name) in enumerate(zip(colours, series, strict=False)):
        x = legend_x + 70 + index * 110
        parts.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{height - 5}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
