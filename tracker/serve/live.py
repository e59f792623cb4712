"""The preview's pages: made from the data as last read when a tab asks for one, by the build's own renderer."""

from __future__ import annotations

import dataclasses
import functools

import jinja2

from tracker.model.records import Jurisdiction
from tracker.render.pages import Contexts, render_sheet
from tracker.render.sheet import Sheet
from tracker.render.sheets import jurisdiction_sheet, plan_sheets


@dataclasses.dataclass(frozen=True)
class Live:
    """The pages of the data as last read, made when a tab asks for one (planned only when first asked for)."""

    env: jinja2.Environment
    contexts: Contexts
    records: dict[str, Jurisdiction]  # by the file of its page, e.g. "jurisdictions/chicago-il/index.html"

    @functools.cached_property
    def sheets(self) -> dict[str, Sheet]:
        """Every other page, by its file (the whole plan: a few dozen ms at 1,000 records)."""
        c = self.contexts.common
        return {c.urls.file_for(sheet.path): sheet for sheet in plan_sheets(c.site, c.config, c.urls, c.outlines)}

    def page(self, file: str) -> bytes | None:
        c = self.contexts.common
        record = self.records.get(file)
        sheet = jurisdiction_sheet(c.site, record) if record else self.sheets.get(file)
        return None if sheet is None else render_sheet(self.env, self.contexts, sheet)[1]
