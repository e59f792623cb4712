"""A bar chart of FY2016 grant figures, drawn at build time as SVG (no JavaScript needed)."""

from __future__ import annotations

from html import escape

from tracker.model.records import SUMMABLE, Grant, Jurisdiction
from tracker.render.money import grant_text

WIDTH, LABEL, ROW, GAP = 720, 210, 26, 8
BAR_AREA = WIDTH - LABEL - 215  # room on the right for the value label
MAX_BARS = 40  # the largest figures; the table and the downloads hold every one


def bar(y: int, j: Jurisdiction, g: Grant, scale: float) -> str:
    length = max(2.0, g.value * scale)
    # Hatched: a figure a total leaves out (rounded, shared or unconfirmed).
    kind = "bound" if g.is_bound else "solid" if g.confidence in SUMMABLE else "hatched"
    label = escape(f"{grant_text(g)} ({g.confidence.replace('-', ' ')})")
    name = escape(j.display_name)
    half = (ROW - 6) / 2
    # An open end: the true figure is larger.
    open_end = f'<path class="open-end" d="M{LABEL + length:.1f} {y + 3}l10 {half}-10 {half}z"/>' if g.is_bound else ""
    return (
        f'<g class="row {kind}"><title>{name}: {label}</title>'
        f'<text class="name" x="{LABEL - 8}" y="{y + ROW / 2 + 5}" text-anchor="end">{name}</text>'
        f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}"/>{open_end}'
        f'<text class="value" x="{LABEL + length + (14 if g.is_bound else 6):.1f}" y="{y + ROW / 2 + 5}">{label}</text></g>'
    )


def fy2016_chart(rows: list[tuple[Jurisdiction, Grant]]) -> str:
    """Horizontal bars, largest first; the table beside it on the page is the text equivalent."""
    if not rows:
        return ""
    ordered = sorted(rows, key=lambda r: (-r[1].value, r[0].name))[:MAX_BARS]
    scale = BAR_AREA / max(g.value for _, g in ordered)
    height = len(ordered) * ROW + GAP * 2
    bars = "".join(bar(GAP + i * ROW, j, g, scale) for i, (j, g) in enumerate(ordered))
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc">'
        '<title id="chart-title">FY2016 Byrne JAG figures by jurisdiction</title>'
        '<desc id="chart-desc">Bars show each jurisdiction’s headline FY2016 figure. Hatched bars are rounded, shared '
        "or unconfirmed figures; a pointed end marks a “more than” figure. The table below gives every value.</desc>"
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>'
        f"{bars}</svg>"
    )
