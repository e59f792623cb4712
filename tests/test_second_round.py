"""Issue 15, the second round (2025–2026): lists as dated snapshots, measures, lawsuits both ways, records first
targeted in 2025; what a reader sees and what an editor is told, on the tiny fixture plus these files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_build

BOSTON = """
  - id: boston-ma
    name: Boston
    official_name: City of Boston
    kind: city
    state: MA
    fips: "2507000"
    lat: 42.3603
    lon: -71.058
    status: null
    status_date: null
    status_source: null
    summary: Boston was named on the list of 5 August 2025.
    letters: []
    grants: []
    events: []
    sources: []
"""
SOURCES = """
sources:
  - id: list-release
    url: https://www.justice.gov/list-for-tests
    title: The list
    publisher: U.S. Department of Justice
    date: 2025-08-05
"""
LISTS = (
    """lists:
  - id: doj-2025-08-05
    name: Justice Department list of sanctuary jurisdictions
    publisher: U.S. Department of Justice
    published: 2025-08-05
    caveat: Not exhaustive; to be updated.
    note: null
    sources: [list-release]
    entries:
      - label: Boston
        category: city
        jurisdiction: boston-ma
      - label: Chicago
        category: city
        jurisdiction: chicago-il
      - label: Chicago County
        category: county
        jurisdiction: chicago-il
"""
    + SOURCES
)
MEASURES = """measures:
  - id: eo-14159
    kind: executive-order
    name: Executive Order 14159
    date: 2025-01-20
    effective: null
    programs: [all federal funds]
    summary: Told agencies to cut federal funds to sanctuary jurisdictions.
    status_note: null
    sources: [list-release]
  - id: voca-conditions
    kind: grant-condition
    name: VOCA conditions
    date: null
    effective: null
    programs: [VOCA]
    summary: Conditions on victims' grants, announced in July 2025.
    status_note: null
    sources: [list-release]
"""
CASE = """
  - id: {id}
    name: {name}
    court: U.S. District Court for the District of Massachusetts
    docket: "{docket}"
    filed: {filed}
    plaintiffs: {plaintiffs}
    defendants: {defendants}
    jurisdictions: [{jid}]
    fiscal_years: []
    status: {status}
    status_note: null
    summary: A lawsuit.
    filing_sources: [list-release]
    rulings: []
    sources: []
    government_role: {role}
    result: {result}
    result_note: {note}
    challenges: [{challenges}]
"""
CASES = (
    "cases:"
    + CASE.format(
        id="us-v-boston-2025",
        name="United States v. City of Boston",
        docket="1:25-cv-12345",
        filed="2025-09-04",
        plaintiffs="United States",
        defendants="City of Boston",
        jid="boston-ma",
        status="pending",
        role="plaintiff",
        result="pending",
        note="No ruling yet.",
        challenges="",
    )
    + CASE.format(
        id="chicago-v-trump-2025",
        name="City of Chicago v. Trump",
        docket="3:25-cv-01350",
        filed="2025-02-07",
        plaintiffs="City of Chicago",
        defendants="Donald J. Trump",
        jid="chicago-il",
        status="decided",
        role="defendant",
        result="won",
        note="An injunction for the city.",
        challenges="eo-14159",
    )
    + CASE.format(
        id="chicago-v-sessions-2017",
        name="City of Chicago v. Sessions",
        docket="1:17-cv-05720",
        filed="2017-08-07",
        plaintiffs="City of Chicago",
        defendants="Jefferson B. Sessions III",
        jid="chicago-il",
        status="decided",
        role="defendant",
        result="partly",
        note="Affirmed in part.",
        challenges="",
    )
)


def second_round_tree(tiny: Path) -> Path:
    data = tiny / "data"
    (data / "jurisdictions.yaml").write_text((data / "jurisdictions.yaml").read_text() + BOSTON)
    (data / "lists.yaml").write_text(LISTS)
    (data / "measures.yaml").write_text(MEASURES)
    (data / "cases.yaml").write_text(CASES)
    return tiny


@pytest.fixture
def built(tiny: Path) -> Path:
    tree = second_round_tree(tiny)
    out = tree / "site"
    result = run_build("--data", str(tree / "data"), "--content", str(tree / "content"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_list_page_keeps_every_entry_as_published_and_links_the_record_it_means(built: Path) -> None:
    html = page(built, "lists/doj-2025-08-05")
    rows = html.select("table.list-entries tbody tr")
    assert [words(r.find("th")) for r in rows] == ["Boston", "Chicago", "Chicago County"]
    assert [words(r.select("td")[1]) for r in rows] == ["city", "city", "county"]
    # Two entries may mean one record (the list names San Francisco twice): both link to it.
    assert [r.select_one("td a")["href"].split("/")[-2] for r in rows] == ["boston-ma", "chicago-il", "chicago-il"]
    assert "Not exhaustive; to be updated." in words(html.select_one(".callout"))
    assert "3 entries: 0 listed as states, 1 as counties, 2 as cities" in words(html.select_one(".kicker"))


def test_a_record_first_targeted_in_2025_says_so_instead_of_a_first_round_status(built: Path) -> None:
    html = page(built, "jurisdictions/boston-ma")
    assert words(html.select_one(".status-box")) == (
        "Status first targeted in 2025 First targeted in 2025: no Justice Department letter of 2017–2018 is recorded."
    )
    assert "No Justice Department letter of 2017–2018 to Boston is recorded." in words(html)
    second = words(html.select_one(".round2-box"))
    assert "listed as “Boston” among the city entries" in second
    assert "The federal government sued: United States v. City of Boston . Pending No ruling yet." in second
    assert html.select(".round2-box li a.src[href='https://www.justice.gov/list-for-tests']")


def test_the_cases_page_splits_the_rounds_with_roles_result_marks_and_a_scorecard(built: Path) -> None:
    html = page(built, "cases")
    second, first = html.select("section[aria-labelledby^=round-]")
    assert second.find("h2")["id"] == "round-2025" and first.find("h2")["id"] == "round-2017"
    score = {words(d.find("dt")): words(d.find("dd")) for d in second.select(".scorecard div")}
    assert score == {"Won": "1", "Lost": "0", "Partly won": "0", "Pending": "1"}
    rows = {words(r.find("th")): [words(td) for td in r.select("td")] for r in second.select("tbody tr")}
    assert rows["United States v. City of Boston"][2] == "The federal government"
    assert rows["City of Chicago v. Trump"][2] == "State or local governments"
    assert "No. 1:25-cv-12345" in rows["United States v. City of Boston"][0]
    assert rows["City of Chicago v. Trump"][3] == "Won decided"
    assert [words(r.find("th")) for r in first.select("tbody tr")] == ["City of Chicago v. Sessions"]


def test_a_measure_page_lists_the_cases_about_it_and_an_undated_one_says_not_recorded(built: Path) -> None:
    html = page(built, "measures/eo-14159")
    assert [words(a) for a in html.select(".case-list a")] == ["City of Chicago v. Trump"]
    assert "not yet recorded" in words(page(built, "measures/voca-conditions").select_one(".kicker"))
    timeline = words(page(built, "timeline"))
    assert "Executive Order 14159" in timeline and "VOCA conditions" not in timeline  # no date, no place


def test_targeted_twice_sets_the_january_2018_letters_against_the_list(built: Path) -> None:
    rows = page(built, "targeted-twice").select("table.twice tbody tr")
    got = {words(r.find("th")): words(r.select("td")[1]) for r in rows}
    assert got == {"Chicago, IL": "Yes, as “Chicago” (city); Yes, as “Chicago County” (county)", "Jackson, MS": "No"}


def test_home_page_leads_with_both_rounds_and_its_table_carries_them(built: Path) -> None:
    html = page(built, "")
    now = words(html.select_one("section.now"))
    assert "a list of 3 sanctuary jurisdictions" in now and "1 of the 2 jurisdictions" in now
    assert "1 brought by the federal government and 1 by states, counties or cities" in now
    row = html.select_one("#row-boston-ma")
    assert row["data-round"] == "2025" and row["data-list"] == "listed"
    assert html.select_one("#row-chicago-il")["data-round"] == "2017 2025"
    assert html.select_one("#row-jackson-ms")["data-list"] == "not-listed"


def test_downloads_carry_rounds_lists_measures_and_case_roles(built: Path) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built / "data/jurisdictions.csv").read_text()))}
    assert rows["boston-ma"]["rounds"] == "2025" and rows["boston-ma"]["lists"] == "doj-2025-08-05:city"
    assert rows["boston-ma"]["status"] == ""
    records = {j["id"]: j for j in json.loads((built / "data/jurisdictions.json").read_text())["jurisdictions"]}
    assert records["boston-ma"]["status"] is None and records["chicago-il"]["rounds"] == ["2017", "2025"]
    features = json.loads((built / "data/jurisdictions.geojson").read_text())["features"]
    chicago = next(f for f in features if f["id"] == "chicago-il")["properties"]
    assert [x["category"] for x in chicago["lists"]] == ["city", "county"]
    entries = list(csv.DictReader(io.StringIO((built / "data/lists.csv").read_text())))
    assert [(e["position"], e["label"], e["jurisdiction_id"]) for e in entries][-1] == (
        "3",
        "Chicago County",
        "chicago-il",
    )
    cases = {c["id"]: c for c in json.loads((built / "data/cases.json").read_text())}
    assert cases["us-v-boston-2025"]["government_role"] == "plaintiff" and cases["us-v-boston-2025"]["round"] == "2025"
    measures = {m["id"]: m for m in json.loads((built / "data/measures.json").read_text())}
    assert measures["voca-conditions"]["date"] is None and measures["eo-14159"]["cases"] == "chicago-v-trump-2025"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "lists.yaml",
            "jurisdiction: boston-ma",
            "jurisdiction: boston",
            'data/lists.yaml:12:23: list doj-2025-08-05: the entry "Boston" names the jurisdiction "boston", '
            "but there is no jurisdiction with that id.",
        ),
        (
            "lists.yaml",
            "category: county",
            "category: parish",
            'data/lists.yaml:17:19: list doj-2025-08-05: entry 3, "category" must be one of: state, county, city; it is "parish".',
        ),
        (
            "cases.yaml",
            "challenges: [eo-14159]",
            "challenges: [eo-14158]",
            'data/cases.yaml:40:18: case chicago-v-trump-2025: names the measure "eo-14158", but measures.yaml has no '
            "measure with that id.",
        ),
        (
            "cases.yaml",
            "filing_sources: [list-release]",
            "filing_sources: [list-releas]",
            'data/cases.yaml:14:22: case us-v-boston-2025: cites the source "list-releas", but no data file '
            "defines a source with that id.",
        ),
        (
            "jurisdictions.yaml",
            "    status: null\n",
            "    status: listed\n",
            'data/jurisdictions.yaml:76:13: Boston (id: boston-ma): "status" must be one of: letter-sent, responded, '
            'litigating, cleared, won-in-court, resolved; it is "listed".',
        ),
        (
            "jurisdictions.yaml",
            "    status: null\n",
            "    status: cleared\n",
            'data/jurisdictions.yaml:76:13: Boston (id: boston-ma): "letters" is empty, so "status" (the outcome of the '
            "2017–2021 letters) must be null.",
        ),
    ],
)
def test_a_mistake_in_the_second_round_files_is_named_with_its_line(
    tiny: Path, file: str, old: str, new: str, expected: str
) -> None:
    tree = second_round_tree(tiny)
    path = tree / "data" / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    result = run_build("check", "--data", str(tree / "data"), "--content", str(tree / "content"), cwd=tree)
    assert result.returncode == 1
    assert expected in result.stderr.replace(str(tree) + "/", ""), result.stderr


def test_a_case_without_filing_sources_is_built(tiny: Path) -> None:
    """The field is optional in the schema: a case may leave it out."""
    tree = second_round_tree(tiny)
    path = tree / "data" / "cases.yaml"
    path.write_text(path.read_text().replace("    filing_sources: [list-release]\n", "", 1))
    result = run_build("check", "--data", str(tree / "data"), "--content", str(tree / "content"), cwd=tree)
    assert result.returncode == 0, result.stderr


def test_a_case_pasted_from_build_py_new_case_is_refused_only_for_its_placeholders(tiny: Path) -> None:
    tree = second_round_tree(tiny)
    printed = run_build("new", "case", "--role", "plaintiff", cwd=tree)
    assert printed.returncode == 0, printed.stderr
    cases = tree / "data" / "cases.yaml"
    cases.write_text(cases.read_text().replace("cases:\n", "cases:\n" + printed.stdout, 1))
    result = run_build("check", "--data", str(tree / "data"), "--content", str(tree / "content"), cwd=tree)
    assert result.returncode == 1
    problems = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert problems and all("placeholder" in p for p in problems), problems
    assert problems[0].startswith("data/cases.yaml:4:9: case fill-in-case:")


def test_new_jurisdiction_for_the_second_round_has_no_letter_and_no_status(tiny: Path) -> None:
    printed = run_build(
        "new", "jurisdiction", "--round", "2025", "--name", "Boston", "--state", "MA", "--data", str(tiny / "data")
    )
    assert "    status: null" in printed.stdout and "    letters: []" in printed.stdout
    data = tiny / "data" / "jurisdictions.yaml"
    data.write_text(data.read_text() + printed.stdout)
    result = run_build("check", "--data", str(tiny / "data"), "--content", str(tiny / "content"), cwd=tiny)
    problems = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert problems and all("placeholder" in p for p in problems), problems
