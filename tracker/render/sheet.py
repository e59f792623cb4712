"""A page to render: what the pipeline plans before any template runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sheet:
    """One page to render: its template, address, title and the extra values its template uses."""

    template: str
    path: str
    title: str | None
    description: str
    producer: str
    extra: dict[str, Any] = field(default_factory=dict)
    cached: bool = False  # made from its own values and the Layout only, so a key can say when it changed
