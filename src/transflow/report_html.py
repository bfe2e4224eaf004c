"""The coverage report as one self-contained HTML page, for coordinators who never open a terminal.

Inline CSS only: no scripts, fonts, images or other external assets, so the
page can be mailed, attached to a ticket or opened offline. Every text from
the project (document names, locales, the project name) is HTML-escaped.
Each document × locale is a stacked bar of its source words by review state.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from transflow.coverage import STATES, CoverageReport, CoverageRow
from transflow.locale import display_name
from transflow.unit import State

__all__ = ["STATE_COLOURS", "render_html"]

STATE_COLOURS: dict[State, str] = {
    State.NEW: "#d5d8dc",
    State.MACHINE: "#c39bd3",
    State.MEMORY: "#85c1e9",
    State.NEEDS_REVIEW: "#f5b041",
    State.TRANSLATED: "#76d7c4",
    State.REVIEWED: "#27ae60",
}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem;
       color: #1c2833; background: #fff; max-width: 72rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d5d8dc; }
.meta { color: #566573; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { padding: .35rem .5rem; text-align: left; vertical-align: middle; }
th { font-size: .8rem; text-transform: uppercase; color: #566573; }
tr { border-bottom: 1px solid #eaeded; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: flex; height: 1.1rem; width: 100%; min-width: 14rem; border-radius: 3px;
       overflow: hidden; background: #f2f3f4; border: 1px solid #d5d8dc; }
.bar span { display: block; height: 100%; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; vertical-align: -2px;
            margin-right: .3rem; border-radius: 2px; }
.yes { color: #1e8449; font-weight: 600; }
.no { color: #b03a2e; }
.errors { color: #b03a2e; font-weight: 600; }
.total td { font-weight: 600; background: #f8f9f9; }
.fail { color: #b03a2e; font-weight: 600; }
"""


def _bar(row: CoverageRow) -> str:
    counts = row.counts
    total = counts.total_words or counts.total_units
    values = counts.words if counts.total_words else counts.units
    parts = []
    for state in STATES:
        value = values[state]
        if not value or not total:
            continue
        width = 100.0 * value / total
        title = f"{state.label}: {counts.units[state]} units, {counts.words[state]} words"
        parts.append(
            f'<span style="width:{width:.3f}%;background:{STATE_COLOURS[state]}" '
            f'title="{escape(title)}"></span>'
        )
    label = escape(f"{row.counts.percent_reviewed():.1f}% of words reviewed")
    return f'<div class="bar" role="img" aria-label="{label}">{"".join(parts)}</div>'


def _row(row: CoverageRow, first: str) -> str:
    c = row.counts
    errors = f'<span class="errors">{row.qa_errors}</span>' if row.qa_errors else "0"
    publishable = (
        '<span class="yes">yes</span>' if row.publishable else '<span class="no">no</span>'
    )
    cells = [
        f"<td>{first}</td>",
        f"<td>{_bar(row)}</td>",
        f'<td class="num" data-field="reviewed-percent">{c.percent_reviewed():.1f}%</td>',
        f'<td class="num" data-field="reviewed-words">{c.words[State.REVIEWED]}'
        f" / {c.total_words}</td>",
        f'<td class="num" data-field="units">{c.total_units}</td>',
        f'<td class="num" data-field="qa-errors">{errors}</td>',
        f'<td data-field="publishable">{publishable}</td>',
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render_html(report: CoverageReport, title: str, generated: datetime | None = None) -> str:
    """The report page; ``title`` is the project's name."""
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} — translation coverage</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)} — translation coverage</h1>",
        f'<p class="meta">Generated {escape(stamp)} by transflow. Bars show each document\'s '
        "English source words by review state; only reviewed text is published. "
        "<em>Publishable</em> means every unit is reviewed and no QA error is open.</p>",
        '<p class="legend">'
        + "".join(
            f'<span><i style="background:{STATE_COLOURS[s]}"></i>{escape(s.label)}</span>'
            for s in STATES
        )
        + "</p>",
    ]
    failing = set(report.failing_locales)
    head = (
        "<tr><th>{}</th><th>progress</th><th>reviewed</th><th>reviewed words</th>"
        "<th>units</th><th>QA errors</th><th>publishable</th></tr>"
    )
    out.append("<h2>Summary by language</h2>")
    out.append(f'<table id="locales">{head.format("language")}')
    for locale, total in report.totals.items():
        name = f"{escape(display_name(locale))} <small>({escape(locale)})</small>"
        if locale in failing:
            name += f' <span class="fail">under {report.fail_under:g}%</span>'
        out.append(_row(total, name).replace("<tr>", f'<tr data-locale="{escape(locale)}">', 1))
    out.append("</table>")
    for locale, total in report.totals.items():
        out.append(f"<h2>{escape(display_name(locale))} ({escape(locale)})</h2>")
        out.append(f'<table class="docs" data-locale="{escape(locale)}">')
        out.append(head.format("document"))
        for row in report.rows:
            if row.locale == locale:
                doc = escape(row.doc or "")
                out.append(_row(row, doc).replace("<tr>", f'<tr data-doc="{doc}">', 1))
        out.append(_row(total, "total").replace("<tr>", '<tr class="total">', 1))
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
