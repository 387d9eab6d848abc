"""A stacked bar chart of the weeks' outcomes, drawn here as SVG: no script, no library, no CDN."""
from __future__ import annotations

from html import escape

from ...bot.health import Week

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by a legend and the table too
COLOURS = {"answered": "#1a6b3c", "clarified": "#8a5a00", "declined": "#a8201a"}
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 40, 40, 20


def weekly_chart(weeks: list[Week], title: str, labels: dict[str, str]) -> str:
    most = max((w.questions for w in weeks), default=0) or 1
    slot = (WIDTH - LEFT - 10) / max(len(weeks), 1)
    bar = min(40.0, slot * 0.7)
    scale = (HEIGHT - BOTTOM - TOP) / most
    shapes = [f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 10}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>',
              f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="12" fill="#222">{most}</text>',
              f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM + 4}" text-anchor="end" font-size="12" fill="#222">0</text>']
    for index, week in enumerate(weeks):
        x = LEFT + index * slot + (slot - bar) / 2
        y = float(HEIGHT - BOTTOM)
        for key, count in (("answered", week.answered), ("clarified", week.clarified), ("declined", week.declined)):
            height = count * scale
            y -= height
            if count:
                shapes.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                              f'fill="{COLOURS[key]}"><title>{escape(week.label)}: {escape(labels[key])} {count}</title></rect>')
        shapes.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                      f'fill="#222">{escape(week.label[5:])}</text>')
    legend = "".join(f'<li><span class="swatch {k}"></span>{escape(labels[k])}</li>'
                     for k in COLOURS)
    summary = "; ".join(f"{w.label}: {w.answered}/{w.clarified}/{w.declined}" for w in weeks)
    return (f'<figure class="chart"><svg role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>'
            f'<desc id="chart-desc">{escape(summary)}</desc>{"".join(shapes)}</svg>'
            f'<figcaption>{escape(title)}<ul class="legend">{legend}</ul></figcaption></figure>')
