"""Downloads and feeds, read with the tools their users use (pandas, feedparser, a GeoJSON model)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pandas as pd
import yaml
from geojson_pydantic import FeatureCollection

from tests.conftest import SNAPSHOT

DATA = yaml.safe_load((SNAPSHOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8"))
BY_ID = {j["id"]: j for j in DATA["jurisdictions"]}


def test_json_has_every_field_and_the_page_url(snapshot_site: Path) -> None:
    body = json.loads((snapshot_site / "data/jurisdictions.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in body["jurisdictions"]}
    assert records.keys() == BY_ID.keys()
    chicago = records["chicago-il"]
    assert chicago["url"] == "https://example.org/tracker/jurisdictions/chicago-il/"
    assert chicago["fips"] == BY_ID["chicago-il"]["fips"]
    assert len(chicago["events"]) == len(BY_ID["chicago-il"]["events"])
    bound = [g for g in chicago["grants"] if g["amount_min"] == 2000000]
    assert bound and bound[0]["amount"] is None and bound[0]["source"]["url"].startswith("https://")


def test_csv_reads_in_pandas_with_one_row_each_and_fips_intact(snapshot_site: Path) -> None:
    frame = pd.read_csv(snapshot_site / "data/jurisdictions.csv", dtype={"fips": str})
    assert len(frame) == len(BY_ID) and frame["id"].is_unique
    assert dict(zip(frame["id"], frame["fips"], strict=True)) == {k: v["fips"] for k, v in BY_ID.items()}
    chicago = frame.set_index("id").loc["chicago-il"]
    assert chicago["fy2016_jag_amount_min"] == 2000000 and chicago["fy2016_jag_confidence"] == "lower-bound"
    unknown = frame.set_index("id").loc["albany-ny"]
    assert pd.isna(unknown["fy2016_jag_amount"]) and pd.isna(unknown["fy2016_jag_confidence"])


def test_geojson_is_a_valid_feature_collection_matching_the_data(snapshot_site: Path) -> None:
    raw = json.loads((snapshot_site / "data/jurisdictions.geojson").read_text(encoding="utf-8"))
    collection = FeatureCollection.model_validate(raw)
    assert len(collection.features) == len(BY_ID)
    for feat in raw["features"]:
        record = BY_ID[feat["properties"]["id"]]
        assert feat["geometry"]["coordinates"] == [round(record["lon"], 4), round(record["lat"], 4)]


def test_atom_feed_parses_with_absolute_links(snapshot_site: Path) -> None:
    feed = feedparser.parse((snapshot_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    events = sum(len(j["events"]) for j in DATA["jurisdictions"])
    articles = len(list((SNAPSHOT / "content").glob("*.md")))
    changes = (
        len(yaml.safe_load((SNAPSHOT / "data" / "changelog.yaml").read_text())["entries"])
        if (SNAPSHOT / "data" / "changelog.yaml").exists()
        else 0
    )
    assert len(feed.entries) == events + articles + changes  # every event, article and logged change
    assert all(e.link.startswith("https://example.org/tracker/") for e in feed.entries)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    dates = [e.updated_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_sitemap_lists_every_page_with_absolute_urls(snapshot_site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(snapshot_site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    pages = {p.parent.relative_to(snapshot_site).as_posix() for p in snapshot_site.rglob("index.html")} - {"embed/map"}
    assert {loc.removeprefix("https://example.org/tracker/").rstrip("/") for loc in locs} == {
        "" if p == "." else p for p in pages
    }


def test_robots_points_at_the_sitemap(snapshot_site: Path) -> None:
    assert "Sitemap: https://example.org/tracker/sitemap.xml" in (snapshot_site / "robots.txt").read_text()


def test_json_written_in_batches_is_the_document_json_dumps_writes(snapshot_site: Path, monkeypatch) -> None:
    """The national file is made a few records at a time; joined, the pieces are exactly one json.dumps."""
    from tracker.build import pipeline as build
    from tracker.config import make_config
    from tracker.keep import Memo
    from tracker.render import pieces as joins
    from tracker.render.tables import json_value
    from tracker.render.urls import Urls

    config = make_config(site_url="https://example.org/tracker/")
    site = build.load_site(config)
    urls = Urls(config.base_url, config.site_url)
    monkeypatch.setattr(joins, "JSON_BATCH", 4)
    pieces = list(joins.jurisdictions_json(site, joins.all_pieces(site, urls, Memo(None, ""))))
    assert len(pieces) == 2 + -(-len(site.jurisdictions) // 4) and len(site.jurisdictions) > 8
    document = {
        "last_updated": site.last_updated,
        "licence": "CC-BY-4.0",
        "jurisdictions": [
            {
                **json_value(j),
                "url": urls.absolute(urls.jurisdiction(j)),
                "rounds": site.round_ids[j.id],
                "lists": [{"list": x.id, "label": e.label, "category": e.category} for x, e in site.listings(j)],
            }
            for j in site.jurisdictions
        ],
    }
    expected = json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=json_value)
    assert b"".join(pieces) == (expected + "\n").encode("utf-8")
    assert b"".join(pieces) == (snapshot_site / "data/jurisdictions.json").read_bytes()
