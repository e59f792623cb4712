"""Write a valid synthetic data tree for benchmarks: python bench/generate.py --jurisdictions N --out DIR [--seed S].

The records are made up (ids like city-00042-tx, names like "Synthetic City 42", sources on the reserved .test domain) and are
never published: they exist only to give the build N realistic jurisdictions. The tree is DIR/data/ (jurisdictions,
waves and changelog) and DIR/content/ (two pages). YAML is written as text with f-strings (yaml.dump is far too slow
for 20,000 records). The same N and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Box = tuple[float, float, float, float]  # south, north, west, east
Record = dict[str, Any]

LAST_UPDATED = "2026-11-28"
# Each state's (and DC's) FIPS code, as in tracker/data/checks.py STATE_FIPS, and a rough box inside it.
# Every box lies inside the first of tracker/data/checks.py US_BOXES, so every point passes the place check.
STATES: dict[str, tuple[str, Box]] = {
    "AL": ("01", (30.5, 34.8, -88.2, -85.2)),
    "AK": ("02", (58.0, 68.0, -160.0, -142.0)),
    "AZ": ("04", (31.6, 36.8, -114.5, -109.2)),
    "AR": ("05", (33.2, 36.4, -94.4, -89.8)),
    "CA": ("06", (34.0, 41.5, -123.5, -117.5)),
    "CO": ("08", (37.1, 40.9, -108.9, -102.2)),
    "CT": ("09", (41.1, 42.0, -73.6, -71.9)),
    "DE": ("10", (38.5, 39.7, -75.7, -75.1)),
    "DC": ("11", (38.85, 38.97, -77.1, -76.95)),
    "FL": ("12", (26.0, 30.8, -87.4, -80.2)),
    "GA": ("13", (30.5, 34.9, -85.5, -81.2)),
    "HI": ("15", (19.2, 21.9, -159.6, -155.1)),
    "ID": ("16", (42.1, 48.9, -116.9, -111.1)),
    "IL": ("17", (37.1, 42.4, -91.4, -87.6)),
    "IN": ("18", (37.9, 41.7, -87.9, -84.9)),
    "IA": ("19", (40.6, 43.4, -96.5, -90.2)),
    "KS": ("20", (37.1, 39.9, -102.0, -94.7)),
    "KY": ("21", (36.6, 39.0, -89.4, -82.1)),
    "LA": ("22", (29.1, 32.9, -93.9, -89.8)),
    "ME": ("23", (43.2, 47.3, -70.9, -67.1)),
    "MD": ("24", (38.0, 39.7, -79.4, -75.1)),
    "MA": ("25", (41.3, 42.8, -73.4, -70.0)),
    "MI": ("26", (41.8, 45.8, -86.3, -82.5)),
    "MN": ("27", (43.6, 49.0, -97.1, -89.6)),
    "MS": ("28", (30.3, 34.9, -91.6, -88.2)),
    "MO": ("29", (36.1, 40.5, -95.7, -89.2)),
    "MT": ("30", (44.4, 48.9, -116.0, -104.1)),
    "NE": ("31", (40.1, 42.9, -104.0, -95.4)),
    "NV": ("32", (35.1, 41.9, -119.9, -114.1)),
    "NH": ("33", (42.8, 45.2, -72.5, -70.7)),
    "NJ": ("34", (39.0, 41.3, -75.5, -74.0)),
    "NM": ("35", (31.4, 36.9, -109.0, -103.1)),
    "NY": ("36", (40.6, 44.9, -79.7, -73.4)),
    "NC": ("37", (34.0, 36.5, -84.2, -76.0)),
    "ND": ("38", (46.0, 48.9, -104.0, -96.6)),
    "OH": ("39", (38.5, 41.9, -84.8, -80.6)),
    "OK": ("40", (33.7, 36.9, -99.9, -94.5)),
    "OR": ("41", (42.1, 46.2, -124.3, -116.6)),
    "PA": ("42", (39.8, 42.2, -80.5, -75.0)),
    "RI": ("44", (41.2, 42.0, -71.8, -71.2)),
    "SC": ("45", (32.1, 35.1, -83.3, -79.0)),
    "SD": ("46", (42.5, 45.9, -104.0, -96.5)),
    "TN": ("47", (35.0, 36.6, -90.2, -81.7)),
    "TX": ("48", (26.0, 36.4, -106.5, -93.6)),
    "UT": ("49", (37.1, 41.9, -114.0, -109.1)),
    "VT": ("50", (42.8, 45.0, -73.4, -71.5)),
    "VA": ("51", (36.6, 39.4, -83.6, -75.3)),
    "WA": ("53", (45.6, 48.9, -124.6, -117.1)),
    "WV": ("54", (37.3, 40.6, -82.6, -77.8)),
    "WI": ("55", (42.5, 46.9, -92.8, -87.0)),
    "WY": ("56", (41.0, 45.0, -111.0, -104.1)),
}

STATE_CODES = tuple(STATES)


@dataclass(frozen=True)
class Wave:
    batch: str
    date: str
    deadline: str
    source: str
    name: str


WAVES = (
    Wave("2017-04", "2017-04-21", "2017-06-30", "synthetic-doj-2017-04", "April 2017 letters"),
    Wave("2017-11", "2017-11-15", "2017-12-08", "synthetic-doj-2017-11", "November 2017 letters"),
    Wave("2018-01", "2018-01-24", "2018-02-23", "synthetic-doj-2018-01", "January 2018 document demands"),
)
STATUSES = ("letter-sent", "responded", "litigating", "cleared", "won-in-court", "resolved")
CONFIDENCES = ("exact", "reported", "approximate", "lower-bound", "joint", "secondary")
EVENT_KINDS = ("letter", "response", "lawsuit", "ruling", "clearance", "funding", "statement", "other")
PUBLISHERS = ("Synthetic Daily", "Example Gazette", "Example Public Radio", "Synthetic Court Records")
FIRST_DAY = dt.date(2017, 1, 1)
DATES = tuple((FIRST_DAY + dt.timedelta(days=k)).isoformat() for k in range((dt.date(2021, 12, 31) - FIRST_DAY).days))
FISCAL_YEARS = (2015, 2016, 2017, 2018)


# rng.random() is several times faster than randint, choice and sample, which matters at 20,000 records.
def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high, both included."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    return items[int(rng.random() * len(items))]


def subset(rng: random.Random, items: tuple[Any, ...], masks: int) -> list[Any]:
    """The items whose bits are set in a random mask below masks, in their order."""
    mask = int(rng.random() * masks)
    return [item for k, item in enumerate(items) if mask >> k & 1]


def make_sources(rng: random.Random, ident: str, name: str) -> list[Record]:
    return [
        {
            "id": f"{ident}-s{k}",
            "url": f"https://sources.synthetic.test/{ident}/{k}",
            "title": f"Synthetic report {k} on {name}",
            "publisher": pick(rng, PUBLISHERS),
            "date": pick(rng, DATES) if rng.random() < 0.7 else None,
        }
        for k in range(1, between(rng, 3, 6) + 1)
    ]


def make_letters(rng: random.Random) -> list[Record]:
    waves = subset(rng, WAVES, 8) or [WAVES[-1]]  # 1 to 3 letters; an empty mask becomes the January 2018 letter
    return [{"date": w.date, "batch": w.batch, "deadline": w.deadline, "source": w.source} for w in waves]


def make_grant(rng: random.Random, year: int, source: str) -> Record:
    confidence = pick(rng, CONFIDENCES)
    lower = confidence == "lower-bound"
    figure = between(rng, 10_000, 5_000_000)
    return {
        "program": "Byrne JAG",
        "fiscal_year": year if rng.random() < 0.9 else None,
        "amount": None if lower else figure,
        "amount_min": (figure // 100_000 + 1) * 100_000 if lower else None,
        "confidence": confidence,
        "note": "Synthetic figure for the benchmark." if rng.random() < 0.3 else None,
        "source": source,
    }


def cited(rng: random.Random, sources: list[str]) -> list[str]:
    """One source, or two different ones."""
    first = int(rng.random() * len(sources))
    if rng.random() < 0.5:
        return [sources[first]]
    return [sources[first], sources[(first + between(rng, 1, len(sources) - 1)) % len(sources)]]


def make_events(rng: random.Random, name: str, sources: list[str]) -> list[Record]:
    dates = sorted(pick(rng, DATES) for _ in range(between(rng, 2, 6)))
    events = []
    for k, date in enumerate(dates, start=1):
        kind = pick(rng, EVENT_KINDS)
        summary = f"Synthetic {kind} event {k} in the story of {name}."
        events.append({"date": date, "kind": kind, "summary": summary, "sources": cited(rng, sources)})
    return events


def state_of(i: int) -> str:
    """Jurisdiction i's state: round the states in order, so every state has its share."""
    return STATE_CODES[(i - 1) % len(STATE_CODES)]


def jurisdiction_id(i: int) -> str:
    return f"city-{i:05d}-{state_of(i).lower()}"


def make_record(rng: random.Random, i: int) -> Record:
    state = state_of(i)
    fips, (south, north, west, east) = STATES[state]
    ident, name = jurisdiction_id(i), f"Synthetic City {i}"
    sources = make_sources(rng, ident, name)
    source_ids = [s["id"] for s in sources]
    status = pick(rng, STATUSES)
    dated = status != "letter-sent" or rng.random() < 0.5
    years = subset(rng, FISCAL_YEARS, 15)  # 0 to 3 of the four years
    return {
        "id": ident,
        "name": name,
        "official_name": f"City of Synthetic City {i}",
        "kind": "city",
        "state": state,
        "fips": f"{fips}{i:05d}",
        "lat": round(rng.uniform(south, north), 4),
        "lon": round(rng.uniform(west, east), 4),
        "status": status,
        "status_date": pick(rng, DATES) if dated else None,
        "status_source": source_ids[0] if dated else None,
        "status_note": f"Synthetic note on the status of {name}." if rng.random() < 0.4 else None,
        "summary": f"{name} is a made-up jurisdiction for the build benchmark; its facts are random.",
        "letters": make_letters(rng),
        "grants": [make_grant(rng, y, pick(rng, source_ids)) for y in years],
        "events": make_events(rng, name, source_ids),
        "sources": sources,
    }


def make_records(n: int, seed: int = 1) -> list[Record]:
    """N synthetic jurisdictions; the same N and seed give the same records."""
    if not 1 <= n <= 99_999:
        raise ValueError("the number of jurisdictions must be between 1 and 99,999 (5-digit place numbers)")
    rng = random.Random(seed)
    return [make_record(rng, i) for i in range(1, n + 1)]


def text(value: Any) -> str:
    """A scalar as YAML: None is null; everything else this generator makes is safe as plain text."""
    return "null" if value is None else str(value)


def source_text(s: Record, pad: str) -> str:
    return (
        f"{pad}- id: {s['id']}\n{pad}  url: {s['url']}\n{pad}  title: {s['title']}\n"
        f"{pad}  publisher: {s['publisher']}\n{pad}  date: {text(s['date'])}\n"
    )


def letter_text(x: Record, pad: str) -> str:
    return f"{pad}- date: {x['date']}\n{pad}  batch: {x['batch']}\n{pad}  deadline: {x['deadline']}\n{pad}  source: {x['source']}\n"


def grant_text(g: Record, pad: str) -> str:
    note = f"{pad}  note: {g['note']}\n" if g["note"] else ""
    return (
        f"{pad}- program: {g['program']}\n{pad}  fiscal_year: {text(g['fiscal_year'])}\n"
        f"{pad}  amount: {text(g['amount'])}\n{pad}  amount_min: {text(g['amount_min'])}\n"
        f"{pad}  confidence: {g['confidence']}\n{note}{pad}  source: {g['source']}\n"
    )


def event_text(e: Record, pad: str) -> str:
    return (
        f"{pad}- date: {e['date']}\n{pad}  kind: {e['kind']}\n{pad}  summary: {e['summary']}\n"
        f"{pad}  sources: [{', '.join(e['sources'])}]\n"
    )


def block(key: str, items: list[Record], item_text: Any, pad: str) -> str:
    if not items:
        return f"{pad}{key}: []\n"
    return f"{pad}{key}:\n" + "".join(item_text(x, pad + "  ") for x in items)


def record_text(r: Record, pad: str = "") -> str:
    """One jurisdiction as block YAML, its fields indented by pad (also the front matter of the Hugo anchor)."""
    note = f"{pad}status_note: {r['status_note']}\n" if r["status_note"] else ""
    return (
        f"{pad}id: {r['id']}\n{pad}name: {r['name']}\n{pad}official_name: {r['official_name']}\n"
        f'{pad}kind: {r["kind"]}\n{pad}state: {r["state"]}\n{pad}fips: "{r["fips"]}"\n'
        f"{pad}lat: {r['lat']}\n{pad}lon: {r['lon']}\n{pad}status: {r['status']}\n"
        f"{pad}status_date: {text(r['status_date'])}\n{pad}status_source: {text(r['status_source'])}\n{note}"
        f"{pad}summary: {r['summary']}\n"
        + block("letters", r["letters"], letter_text, pad)
        + block("grants", r["grants"], grant_text, pad)
        + block("events", r["events"], event_text, pad)
        + block("sources", r["sources"], source_text, pad)
    )


def shared_sources() -> list[Record]:
    return [
        {
            "id": w.source,
            "url": f"https://sources.synthetic.test/doj/{w.batch}",
            "title": f"Synthetic copy of the {w.name}",
            "publisher": "Example Justice Archive",
            "date": w.date,
        }
        for w in WAVES
    ]


def jurisdictions_yaml(records: list[Record]) -> str:
    parts = [
        "# Synthetic benchmark data (bench/generate.py): made-up jurisdictions, never published.\n",
        f"last_updated: {LAST_UPDATED}\n\n",
        block("shared_sources", shared_sources(), source_text, ""),
        "\njurisdictions:\n",
    ]
    parts += ["  - " + record_text(r, "    ")[4:] for r in records]
    return "".join(parts)


def waves_yaml() -> str:
    """The three waves the letters use; recipients null, since the synthetic tree claims no count."""
    parts = ["# Synthetic benchmark data (bench/generate.py).\nwaves:\n"]
    parts += [
        f"  - id: {w.batch}\n    name: {w.name}\n    date: {w.date}\n    sender: Office of Justice Programs\n"
        "    demand: Synthetic demand for proof of compliance with 8 U.S.C. 1373.\n"
        f"    deadline: {w.deadline}\n    recipients: null\n    sources: [{w.source}]\n    outcome: null\n"
        for w in WAVES
    ]
    return "".join(parts) + "sources: []\n"


def changelog_yaml() -> str:
    return (
        "# Synthetic benchmark data (bench/generate.py).\nentries:\n"
        f"  - date: {LAST_UPDATED}\n    kind: added\n"
        "    summary: The synthetic benchmark tree was generated.\n    jurisdictions: []\n    source: null\n"
    )


PAGES = {
    "about": ("About the synthetic tracker", "A made-up page of about the length of a real explainer."),
    "method": ("How the synthetic data is made", "Why the benchmark data is random and where it comes from."),
}


def page_markdown(title: str, summary: str) -> str:
    paragraph = "This page is part of a synthetic tree made for the build benchmark. " * 8
    body = "\n\n".join(
        [
            f"## Section {k}\n\n{paragraph.strip()}\n\n- one point\n- another point, see [the data](/data/)"
            for k in range(1, 6)
        ]
    )
    return f"---\ntitle: {title}\nsummary: {summary}\ndate: {LAST_UPDATED}\n---\n\n{paragraph.strip()}\n\n{body}\n"


def write_tree(out: Path, records: list[Record]) -> None:
    """DIR/data/{jurisdictions,waves,changelog}.yaml and DIR/content/*.md."""
    data, content = out / "data", out / "content"
    data.mkdir(parents=True, exist_ok=True)
    content.mkdir(parents=True, exist_ok=True)
    (data / "jurisdictions.yaml").write_text(jurisdictions_yaml(records), encoding="utf-8")
    (data / "waves.yaml").write_text(waves_yaml(), encoding="utf-8")
    (data / "changelog.yaml").write_text(changelog_yaml(), encoding="utf-8")
    for slug, (title, summary) in PAGES.items():
        (content / f"{slug}.md").write_text(page_markdown(title, summary), encoding="utf-8")


def generate(n: int, out: Path, seed: int = 1) -> list[Record]:
    records = make_records(n, seed)
    write_tree(out, records)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic data/ and content/ tree for benchmarks.")
    parser.add_argument("--jurisdictions", type=int, required=True, help="how many jurisdictions (1 to 99,999)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write data/ and content/ into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if not 1 <= args.jurisdictions <= 99_999:
        parser.error("--jurisdictions must be between 1 and 99,999 (place numbers have 5 digits)")
    start = time.perf_counter()
    generate(args.jurisdictions, args.out, args.seed)
    print(f"Wrote {args.jurisdictions} jurisdictions to {args.out} in {time.perf_counter() - start:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
