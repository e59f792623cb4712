"""Money and date wording, shared by pages, popups and exports."""

from __future__ import annotations

import datetime as dt
import functools

from tracker.model.records import Grant, MoneyTotal

NOT_RECORDED = "not yet recorded"


def dollars(amount: int) -> str:
    """$71,811 for exact figures; $2 million or $4.3 million for round ones, as sources write them."""
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"${amount / 1_000_000:.1f}".removesuffix(".0") + " million"
    return f"${amount:,}"


def grant_text(grant: Grant) -> str:
    """The figure with its qualifier: "more than $2 million", "about $72,000", "$260,499"."""
    if grant.is_bound:
        return f"more than {dollars(grant.amount_min or 0)}"
    prefix = "about " if grant.confidence == "approximate" else ""
    return prefix + dollars(grant.value)


def headline_text(grant: Grant | None) -> str:
    return grant_text(grant) if grant else NOT_RECORDED


def total_text(total: MoneyTotal) -> str:
    return ("at least " if total.is_lower_bound else "") + f"${total.amount:,}"


@functools.lru_cache(maxsize=8192)  # pages repeat the same few hundred dates thousands of times
def long_date(day: dt.date | None) -> str:
    """24 January 2018 (no leading zero), or "not yet recorded"."""
    return f"{day.day} {day:%B %Y}" if day else NOT_RECORDED
