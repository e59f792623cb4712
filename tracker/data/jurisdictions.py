"""Load data/jurisdictions.yaml, validate it completely, and build the records."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from tracker.data.checks import CHECKS, RECORD_CHECKS, Check, rule_problems
from tracker.data.facts import Facts, cross_clean, facts_of
from tracker.data.fastyaml import Fast, read_fast
from tracker.data.placeholders import placeholder_problems
from tracker.data.recall import Recall
from tracker.data.split import item_key
from tracker.data.validate import schema_problems
from tracker.data.yamlfile import Located, load_yaml_text, read_yaml_file
from tracker.errors import DataError, Problem
from tracker.keep import digest
from tracker.model.records import Event, Grant, Jurisdiction, Letter, Source, to_date

T = TypeVar("T")
MID_SAVE_SECONDS = 0.05  # an editor that saves in place empties the file, then writes it: within this, locally
# A save of tens of MB can stall for a moment halfway (the disk busy writing a build); what was read meanwhile is a
# mistake to the fast reader, and the sure reader would spend seconds on it: a stall lasts up to this per byte read.
STALL_SECONDS_PER_BYTE = 12e-9  # 0.3 s at 25 MB (10,000 records), measured up to 0.37 s with a build beside


def display_path(file: Path) -> str:
    """Name a file the way an editor sees it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(file)
    except ValueError:
        return str(file)


def load_document(file: Path, recall: Recall | None = None) -> Located:
    """Load and validate the data file; raise DataError with every problem found."""
    return read_checked(file, recall, lambda doc, keys: doc)


def read_checked(file: Path, recall: Recall | None, make: Callable[[Located, tuple[bytes, ...] | None], T]) -> T:
    """make(document, keys) of the data file once every check passes; else DataError with every problem.

    Data without mistakes takes the fast reader (tracker/data/fastyaml.py), which also gives `keys`, each record's
    text by item_key. Anything it can't be sure of, and any file with a problem, goes to the sure reader, whose
    positions name the line of every mistake. With `recall` (a preview, or a cached build), records read last time
    are not parsed again.
    """
    display = display_path(file)
    before = file_stamp(file)
    try:
        text = read_yaml_file(file, display)
    except DataError:  # emptied (an editor saving in place) and written again meanwhile?
        _unless_saving(file, before, MID_SAVE_SECONDS)  # a preview would show the tab an error for a moment
        raise
    # Saved again meanwhile (before the parse or during it): what was read may be half a file, which the next read
    # replaces anyway (and the sure reader would take 20 s at 10,000 records).
    if file_stamp(file) != before:
        raise FileChanged(display)
    found = read_fast(text, None if recall is None else recall.items)
    if file_stamp(file) != before:
        raise FileChanged(display)
    if found is not None and recall is not None and found.kept is not None:
        recall.items = found.kept
    if found is not None:
        doc = Located(found.value, display, _scan=found.scan)
        if not has_problems(doc, found, recall):
            split = found.split
            made = make(doc, split.keys if split is not None and split.key == "jurisdictions" else None)
            if recall is not None and split is not None:
                recall.clean = (item_key(split.rest), frozenset(split.keys))
            return made
    _unless_saving(file, before, len(text) * STALL_SECONDS_PER_BYTE)  # half a save, or a mistake to report?
    if recall is not None:
        recall.clean = (b"", frozenset())
    doc = load_yaml_text(text, display)
    if problems := document_problems(doc):
        raise DataError(problems)
    return make(doc, None)


class FileChanged(DataError):
    """The file changed while it was read: a build says so; the preview waits for the next read."""

    def __init__(self, display: str) -> None:
        message = "the file changed while it was being read (saved again meanwhile?); build again."
        super().__init__([Problem(display, None, None, message, title="File changed")])


def _unless_saving(file: Path, before: tuple[int, int] | None, seconds: float) -> None:
    """FileChanged if the file changes within `seconds` (or did already): it was read while being saved."""
    if file_stamp(file) == before:
        time.sleep(seconds)
    if file_stamp(file) != before:
        raise FileChanged(display_path(file)) from None


def file_stamp(file: Path) -> tuple[int, int] | None:
    try:
        stat = file.stat()
    except OSError:
        return None  # read_yaml_file reports it
    return stat.st_size, stat.st_mtime_ns


def has_problems(doc: Located, found: Fast, recall: Recall | None) -> bool:
    """Whether the checks find anything: records found clean last time, beside the same rest of the file, are
    checked again only against the others (ids, sources); a record's own checks see nothing beyond it and the rest.
    """
    split = found.split
    if recall is None or split is None or split.key != "jurisdictions" or item_key(split.rest) != recall.clean[0]:
        return bool(document_problems(doc))
    records = doc.value["jurisdictions"]
    if not cross_clean(doc, recall.facts_for(split.keys, records)):
        return True  # the sure reader's checks say what and where
    new = [record for record, key in zip(records, split.keys, strict=True) if key not in recall.clean[1]]
    reduced = Located({**doc.value, "jurisdictions": new}, doc.path)
    return bool(new and document_problems(reduced, RECORD_CHECKS))


def document_problems(doc: Located, checks: tuple[Check, ...] = CHECKS) -> list[Problem]:
    problems = schema_problems(doc)
    # One message per value is enough: a value the schema refuses needs no second opinion from the rules.
    refused = {(p.line, p.col) for p in problems}
    problems += [p for p in rule_problems(doc, checks) if (p.line, p.col) not in refused]
    # Values `build.py new` printed and nobody filled in: valid in form, but never to be published.
    problems += [p for p in placeholder_problems(doc) if (p.line, p.col) not in refused]
    return problems


def make_source(raw: dict[str, Any]) -> Source:
    return Source(raw["id"], raw["url"], raw["title"], raw["publisher"], to_date(raw["date"]))


Cite = Callable[[str], Source]  # a source by id, noted as cited by the record being made


def make_letter(x: dict[str, Any], cite: Cite) -> Letter:
    return Letter(to_date(x["date"]), x["batch"], to_date(x["deadline"]), cite(x["source"]), x.get("note"))


def make_grant(g: dict[str, Any], cite: Cite) -> Grant:
    return Grant(**(g | {"source": cite(g["source"])}))  # its fields are named as in the file


def make_event(e: dict[str, Any], cite: Cite) -> Event:
    return Event(to_date(e["date"]), e["kind"], e["summary"], tuple(cite(s) for s in e["sources"]))


AS_THEY_ARE = ("id", "name", "official_name", "kind", "state", "fips", "status", "summary")  # copied unchanged


def make_jurisdiction(raw: dict[str, Any], known: Sources) -> Jurisdiction:
    """Build one record; `known` holds every source of the file (the checks allow citing any of them)."""
    own = {s["id"]: known.own(s) for s in raw["sources"]}
    cited: dict[str, Source] = {}

    def cite(ref: str) -> Source:
        return cited.setdefault(ref, known[ref])

    # The sources come in the order first cited: the arguments are evaluated in the order written.
    return Jurisdiction(
        **{name: raw[name] for name in AS_THEY_ARE},
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        status_date=to_date(raw["status_date"]),
        status_source=cite(raw["status_source"]) if raw["status_source"] else None,
        status_note=raw.get("status_note"),
        letters=tuple(make_letter(x, cite) for x in raw["letters"]),
        grants=tuple(make_grant(g, cite) for g in raw["grants"]),
        events=tuple(sorted((make_event(e, cite) for e in raw["events"]), key=lambda e: e.date)),
        sources=tuple((cited | own).values()),  # listed but not cited: still shown, after the cited ones
    )


class Loaded(NamedTuple):
    jurisdictions: tuple[Jurisdiction, ...]  # sorted by name
    shared: tuple[Source, ...]
    last_updated: Any
    fingerprints: dict[str, str]  # jurisdiction id -> a hash of everything its record is made from


def load_jurisdictions(file: Path, recall: Recall | None = None) -> Loaded:
    """The jurisdictions, the shared sources, the last_updated date, and each record's fingerprint (as load_document)."""
    return read_checked(file, recall, lambda doc, keys: make_records(doc.value, recall, keys))


def make_records(value: dict[str, Any], recall: Recall | None, keys: tuple[bytes, ...] | None = None) -> Loaded:
    """The records of a document that passed every check, reusing those made before from the same values.

    `keys`: each record's text by split.item_key, when the fast reader gives them (see fingerprint).
    """
    raws = value["jurisdictions"]
    raw_sources = RawSources(value.get("shared_sources", []), raws)
    known = Sources(raw_sources)  # shared and records' own: the checks made sure no two sources share an id
    shared = tuple(known[s["id"]] for s in value.get("shared_sources", []))
    by_text: tuple[bytes | None, ...] = keys or (None,) * len(raws)
    facts = [None] * len(raws) if recall is None or keys is None else recall.facts_for(keys, raws)  # kept
    fingerprints = {
        raw["id"]: fingerprint(raw, raw_sources, key, fact) for raw, key, fact in zip(raws, by_text, facts, strict=True)
    }
    made = {} if recall is None else recall.made
    records = [made.get(fingerprints[raw["id"]]) or make_jurisdiction(raw, known) for raw in raws]
    if recall is not None:
        recall.made = {fingerprints[j.id]: j for j in records}
    records.sort(key=lambda j: (j.name.casefold(), j.state))
    return Loaded(tuple(records), shared, to_date(value["last_updated"]), fingerprints)


class Sources(dict[str, Source]):
    """Every source of the file by id, each made when first cited: a reread makes only the edited records."""

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.raw = raw

    def __missing__(self, ref: str) -> Source:
        return self.setdefault(ref, make_source(self.raw[ref]))

    def own(self, raw: dict[str, Any]) -> Source:
        """A source a record lists, made from its own values (no search of the whole file for it)."""
        return self[raw["id"]] if raw["id"] in self else self.setdefault(raw["id"], make_source(raw))


class RawSources(dict[str, dict[str, Any]]):
    """Every source's values by id: the shared ones at once, the records' own the first time one is asked for (a
    record citing a source another record lists); a reread after one edit mostly needs none of them."""

    def __init__(self, shared: list[dict[str, Any]], records: list[dict[str, Any]]) -> None:
        super().__init__((s["id"], s) for s in shared)
        self.records: list[dict[str, Any]] | None = records
        self.hashes: dict[str, str] = {}

    def hashed(self, ref: str) -> str:
        """The digest of a source's values, made once: most records cite the same few shared sources."""
        if ref not in self.hashes:
            self.hashes[ref] = digest(self[ref])
        return self.hashes[ref]

    def __missing__(self, ref: str) -> dict[str, Any]:
        if self.records is None:
            raise KeyError(ref)
        records, self.records = self.records, None
        self.update((s["id"], s) for raw in records for s in raw["sources"])
        return self[ref]


def fingerprint(raw: dict[str, Any], raw_sources: RawSources, key: bytes | None, facts: Facts | None) -> str:
    """A hash of a record and of every source it cites: the values its Jurisdiction is made from.

    Hashing these plain values is far cheaper than hashing the built Jurisdiction (tracker/keep.py). `key`, the
    hash of the record's text, stands for the record's own values, its own sources included: the fast reader reads a
    text as the same values whatever the rest of the file. Then only the sources it cites from elsewhere are hashed.
    """
    _, own, cited = facts or facts_of(raw) or (None, (), frozenset())
    if key is None:
        return digest(raw, [raw_sources[ref] for ref in sorted(cited | set(own))])
    outside = sorted(cited - set(own))
    return digest(key, [raw_sources.hashed(ref) for ref in outside]) if outside else key.hex()
