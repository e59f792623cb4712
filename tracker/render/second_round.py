"""The pages of the second round (2025–2026): the overview, the published lists, the national measures and
the jurisdictions targeted in both rounds."""

from __future__ import annotations

from tracker.model.site import Site
from tracker.render.sheet import Sheet
from tracker.render.urls import Urls


def second_round_sheets(site: Site) -> list[Sheet]:
    """The overview and the "targeted twice" view, then one page per list and per measure."""
    sheets = [
        Sheet(
            "second_round.html",
            Urls.second_round,
            "The second round, 2025–2026",
            "Executive orders, the Justice Department's list of sanctuary jurisdictions, new grant conditions "
            "and the lawsuits of 2025–2026, with sources.",
            "the second-round page",
            {},
        ),
        Sheet(
            "targeted_twice.html",
            Urls.targeted_twice,
            "Targeted twice",
            "The jurisdictions of the Justice Department's letters of 24 January 2018, set against its list of 2025.",
            "the targeted-twice page",
            {},
        ),
    ]
    return sheets + record_sheets(site)


def record_sheets(site: Site) -> list[Sheet]:
    """One page per published list and per national measure."""
    lists = [
        Sheet(
            "list.html",
            Urls.published_list(x),
            f"{x.name}, {x.published.day} {x.published:%B %Y}",
            f"The {len(x.entries)} entries of the {x.name.lower()} as published on {x.published.isoformat()}.",
            f"the list {x.id}",
            {"x": x},
        )
        for x in site.lists
    ]
    return lists + [
        Sheet(
            "measure.html",
            Urls.measure(m),
            m.name,
            m.summary,
            f"the measure {m.id}",
            {"m": m, "cases": site.cases_about(m)},
        )
        for m in site.measures
    ]
