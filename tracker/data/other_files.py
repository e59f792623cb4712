"""Load the waves, cases, published lists, measures and changelog (data/*.yaml), checked against each other and the
jurisdictions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from tracker.data.checks import entries
from tracker.data.jurisdictions import display_path, make_source
from tracker.data.other_records import case_order, make_case, make_change, make_list, make_measure, make_wave
from tracker.data.placeholders import placeholder_problems
from tracker.data.schema_other import SCHEMAS
from tracker.data.validate import schema_problems
from tracker.data.yamlfile import Located, PathKey, load_yaml
from tracker.errors import DataError, Problem
from tracker.model.records import Case, ChangeEntry, Jurisdiction, Source, Wave
from tracker.model.second_round import Measure, PublishedList

T = TypeVar("T")
LIST_KEY = {"waves": "waves", "cases": "cases", "lists": "lists", "measures": "measures", "changelog": "entries"}


@dataclasses.dataclass(frozen=True)
class Records:
    waves: tuple[Wave, ...] = ()
    cases: tuple[Case, ...] = ()
    changelog: tuple[ChangeEntry, ...] = ()
    lists: tuple[PublishedList, ...] = ()  # oldest first
    measures: tuple[Measure, ...] = ()  # by date


def items(doc: Located | None, name: str) -> list[tuple[PathKey, dict[str, Any]]]:
    """The entries of a file's list (none when the file is absent)."""
    key = LIST_KEY[name]  # anything but a list of sets of fields is the schema's to report
    return [((key, i), v) for i, v in entries(doc.value, key)] if doc else []


def named(doc: Located, name: str, problem: Problem) -> Problem:
    """Say which wave, case or entry a problem is about: the last item starting at or before its line."""
    if problem.subject or problem.line is None:
        return problem
    subject = None
    for path, item in items(doc, name):
        line = doc.where.get(path, (None, None))[0]
        if line is not None and line <= problem.line:
            number = path[1] + 1
            subject = f"entry {number}" if name == "changelog" else f"{name.rstrip('s')} {item.get('id') or number}"
    return dataclasses.replace(problem, subject=subject)


def read(data_dir: Path, name: str) -> Located | None:
    file = data_dir / f"{name}.yaml"
    if not file.exists():
        return None  # optional: alternate trees (tests, benchmarks) may leave these out
    doc = load_yaml(file, display_path(file))
    problems = [named(doc, name, p) for p in schema_problems(doc, SCHEMAS[name])]
    # A case printed by `build.py new case` and pasted unfilled: valid in form, never to be published.
    problems += [named(doc, name, p) for p in placeholder_problems(doc) if not problems]
    if problems:
        raise DataError(problems)
    return doc


def own_sources(doc: Located, name: str) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    for i, source in enumerate(doc.value.get("sources") or []):
        yield ("sources", i), source
    if name == "cases":
        for path, case in items(doc, name):
            for i, source in enumerate(case.get("sources") or []):
                yield path + ("sources", i), source


def problem_at(doc: Located, name: str, path: PathKey, message: str) -> Problem:
    return named(doc, name, Problem(doc.path, *doc.line_col(path), message, title="Invalid value"))


def check_source_ids(docs: dict[str, Located], taken: set[str]) -> Iterator[Problem]:
    """Source ids are unique across every data file, so any file may cite any source."""
    seen = set(taken)
    for name, doc in docs.items():
        for path, source in own_sources(doc, name):
            ident = source.get("id")
            if ident in seen:
                message = f'the source id "{ident}" is already used; source ids must be unique across all data files.'
                yield problem_at(doc, name, path + ("id",), message)
            seen.add(ident)


def references(doc: Located, name: str) -> Iterator[tuple[PathKey, str]]:
    """Every (path, source id) a file cites."""
    for path, item in items(doc, name):
        for field in ("sources", "filing_sources"):
            yield from ((path + (field, k), ref) for k, ref in enumerate(item.get(field) or []) if isinstance(ref, str))
        if isinstance(item.get("source"), str):
            yield path + ("source",), item["source"]
        for r, ruling in enumerate(item.get("rulings") or []):
            yield from ((path + ("rulings", r, "sources", k), ref) for k, ref in enumerate(ruling.get("sources") or []))


def check_links(docs: dict[str, Located], known_sources: set[str], jurisdiction_ids: set[str]) -> Iterator[Problem]:
    """Every source, jurisdiction and measure a file names exists."""
    measures = {m.get("id") for _, m in items(docs.get("measures"), "measures")}
    for name, doc in docs.items():
        for path, ref in references(doc, name):
            if ref not in known_sources:
                message = f'cites the source "{ref}", but no data file defines a source with that id.'
                yield problem_at(doc, name, path, message)
        for path, item in items(doc, name):
            for k, ident in enumerate(item.get("jurisdictions") or []):
                if ident not in jurisdiction_ids:
                    message = f'names the jurisdiction "{ident}", but there is no jurisdiction with that id.'
                    yield problem_at(doc, name, path + ("jurisdictions", k), message)
            for k, entry in enumerate(item.get("entries") or []):  # a published list's entries
                if entry.get("jurisdiction") not in jurisdiction_ids:
                    message = f'the entry "{entry.get("label")}" names the jurisdiction "{entry.get("jurisdiction")}", but there is no jurisdiction with that id.'
                    yield problem_at(doc, name, path + ("entries", k, "jurisdiction"), message)
            for k, ident in enumerate(item.get("challenges") or []):  # the measures a case is about
                if ident not in measures:
                    message = f'names the measure "{ident}", but measures.yaml has no measure with that id.'
                    yield problem_at(doc, name, path + ("challenges", k), message)


def check_waves(doc: Located | None, jurisdictions: tuple[Jurisdiction, ...]) -> Iterator[Problem]:
    if doc is None:
        return
    seen: set[str] = set()
    letters = Counter(batch for j in jurisdictions for batch in j.batches)  # one pass, not one per wave
    for path, wave in items(doc, "waves"):
        members = letters[wave.get("id")] if isinstance(wave.get("id"), str) else 0
        if wave.get("id") in seen:
            yield problem_at(doc, "waves", path + ("id",), f'the wave "{wave.get("id")}" is listed twice.')
        seen.add(wave.get("id"))
        if wave.get("recipients") and members != wave["recipients"]:
            message = f"says {wave['recipients']} jurisdictions were written to, but {members} jurisdictions in jurisdictions.yaml have a letter of batch {wave.get('id')}."
            yield problem_at(doc, "waves", path + ("recipients",), message)
    for batch in sorted(set(letters) - seen):
        message = f"letters of batch {batch} exist, but waves.yaml does not describe that wave."
        yield Problem(doc.path, None, None, message, title="Missing wave")


def check_ids(docs: dict[str, Located], name: str) -> Iterator[Problem]:
    seen = set()
    for path, item in items(docs.get(name), name):
        if item.get("id") in seen:
            yield problem_at(docs[name], name, path + ("id",), f'the {name[:-1]} id "{item.get("id")}" is used twice.')
        seen.add(item.get("id"))


def read_all(data_dir: Path) -> dict[str, Located]:
    """Read every optional file, collecting the problems of all of them."""
    docs, problems = {}, []
    for name in LIST_KEY:
        try:
            if (doc := read(data_dir, name)) is not None:
                docs[name] = doc
        except DataError as e:
            problems += e.problems
    if problems:
        raise DataError(problems)
    return docs


def load_records(data_dir: Path, jurisdictions: tuple[Jurisdiction, ...], shared: tuple[Source, ...]) -> Records:
    """Waves, cases, lists, measures and changelog; every cross-file reference checked, every problem reported."""
    docs = read_all(data_dir)
    registry = {s.id: s for j in jurisdictions for s in j.sources} | {s.id: s for s in shared}
    own = {src["id"]: make_source(src) for name, doc in docs.items() for _, src in own_sources(doc, name)}
    problems = list(check_source_ids(docs, set(registry)))
    problems += check_links(docs, set(registry) | set(own), {j.id for j in jurisdictions})
    problems += check_waves(docs.get("waves"), jurisdictions)
    problems += [p for name in ("cases", "lists", "measures") for p in check_ids(docs, name)]
    if problems:
        raise DataError(problems)
    sources = registry | own

    def made(name: str, make: Callable[[dict[str, Any], dict[str, Source]], T]) -> list[T]:
        return [make(item, sources) for _, item in items(docs.get(name), name)]

    waves = sorted(made("waves", make_wave), key=lambda w: w.date)
    cases = sorted(made("cases", make_case), key=case_order)
    changes = sorted(made("changelog", make_change), key=lambda c: c.date, reverse=True)
    lists = sorted(made("lists", make_list), key=lambda x: (x.published, x.id))
    measures = sorted(made("measures", make_measure), key=lambda m: (m.date or dt.date.max, m.name))
    return Records(tuple(waves), tuple(cases), tuple(changes), tuple(lists), tuple(measures))
