"""Pages of the second round: the overview, the published lists and measures, and the jurisdictions targeted twice."""

from __future__ import annotations

from tracker.model.site import Site
from tracker.render.money import long_date
from tracker.render.sheet import Sheet
from tracker.render.urls import Urls

OVERVIEW = (
    "Executive orders, the Justice Department's list of sanctuary jurisdictions, new grant conditions "
    "and the lawsuits of 2025–2026, with sources."
)
TWICE = "The jurisdictions of the Justice Department's letters of 24 January 2018, set against its list of 2025."


def second_round_sheets(site: Site) -> list[Sheet]:
    """The overview and the "targeted twice" view, then one page per published list and per national measure."""
    sheets = [
        Sheet("second_round.html", Urls.second_round, "The second round, 2025–2026", OVERVIEW, "the second-round page"),
        Sheet("targeted_twice.html", Urls.targeted_twice, "Targeted twice", TWICE, "the targeted-twice page"),
    ]
    for x in site.lists:
        about = f"The {len(x.entries)} entries of the {x.name.lower()} as published on {x.published.isoformat()}."
        title = f"{x.name}, {long_date(x.published)}"
        sheets.append(Sheet("list.html", Urls.published_list(x), title, about, f"the list {x.id}", {"x": x}))
    for m in site.measures:
        extra = {"m": m, "cases": site.cases_about(m)}
        sheets.append(Sheet("measure.html", Urls.measure(m), m.name, m.summary, f"the measure {m.id}", extra))
    return sheets
