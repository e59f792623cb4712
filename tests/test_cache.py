"""A build that reuses the previous one writes exactly the bytes a cold build writes, edit after edit."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY, tree_bytes
from tracker import keep
from tracker.build import cache, incremental, pipeline
from tracker.build import kept as kept_module
from tracker.build.progress import Progress
from tracker.config import SiteConfig, make_config
from tracker.data.jurisdictions import Recall, load_jurisdictions
from tracker.render import pages as render

PAGE = "jurisdictions/chicago-il/index.html"
OTHER = "jurisdictions/seattle-wa/index.html"


SOURCES = ("data", "content", "templates")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the real data, content and templates."""
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real data, content and templates built once with the cache: the previous build most tests start from.

    Returns where it was built, which each test gets in turn (a page's key covers the settings, the folders' paths
    included), and where it is kept meanwhile.
    """
    base = tmp_path_factory.mktemp("pristine")
    where, kept = base / "tree", base / "kept"
    for name in SOURCES:
        shutil.copytree(ROOT / name, where / name)
    build(config_for(where, "site"))
    where.rename(kept)  # the same files: a rename keeps their inodes and times
    return where, kept


def site_stats(folder: Path) -> dict[str, tuple[int, int, int, int]]:
    stats = {p.relative_to(folder).as_posix(): p.stat() for p in folder.rglob("*") if p.is_file()}
    return {path: (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode) for path, st in stats.items()}


@pytest.fixture
def built(pristine: tuple[Path, Path]) -> Iterator[Path]:
    """A tree whose site is the pristine build, where it was built, without building it again.

    The site's files are hard links to the kept ones: the same inode, size and time, so the cache trusts them as the
    very files it wrote. The sources and the kept records (.build-cache) are copies. A build replaces a file by
    moving a new one in, which leaves the kept file alone; a test that writes into a site file in place would change
    the kept site, so it builds its own (`tree`), and this fixture fails if the kept site changed.
    """
    where, kept = pristine
    before = site_stats(kept / "site")
    for name in (*SOURCES, ".build-cache"):
        shutil.copytree(kept / name, where / name)
    shutil.copytree(kept / "site", where / "site", copy_function=os.link)
    yield where
    shutil.rmtree(where)
    assert site_stats(kept / "site") == before, "the test changed the kept site through a hard link"


def config_for(tree: Path, out: str) -> SiteConfig:
    config = make_config(data_dir=tree / "data", content_dir=tree / "content", out_dir=tree / out)
    return dataclasses.replace(config, templates_dir=tree / "templates")


def build(config: SiteConfig, use_cache: bool = True) -> list[str]:
    return pipeline.build(config, Progress(env={}), use_cache=use_cache)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files of the pages each build renders (not those it leaves as they are)."""
    made: list[str] = []
    real = incremental.in_workers

    def spy(func: Callable, config: SiteConfig, job: object, sheets: list[render.Sheet], *rest: object) -> object:
        made.clear()
        made.extend(job.contexts.common.urls.file_for(s.path) for s in sheets)  # type: ignore[attr-defined]
        return real(func, config, job, sheets, *rest)

    monkeypatch.setattr(incremental, "in_workers", spy)
    return made


def fingerprint(folder: Path) -> dict[str, str]:
    """Each file's path and a SHA-256 of its bytes: equal exactly when the files' bytes are (short to keep)."""
    return {path: hashlib.sha256(blob).hexdigest() for path, blob in tree_bytes(folder).items()}


# What a cold build writes, by a hash of what it is built from: several tests end with the same sources (the
# unedited data, or the same edit), and a cold build of the same sources writes the same bytes, so it runs once.
COLD: dict[str, dict[str, str]] = {}


def sources_digest(tree: Path) -> str:
    """A hash of every file a build reads from the tree (the static files and the code are the repository's)."""
    sha = hashlib.sha256()
    for name in SOURCES:
        for path, blob in tree_bytes(tree / name).items():
            sha.update(f"{name}/{path}\0{len(blob)}\0".encode())
            sha.update(blob)
    return sha.hexdigest()


def same_as_cold(tree: Path, site: SiteConfig) -> None:
    sources = sources_digest(tree)
    if sources not in COLD:
        cold = config_for(tree, f"cold-{len(list(tree.glob('cold-*')))}")
        build(cold, use_cache=False)
        COLD[sources] = fingerprint(cold.out_dir)
    assert fingerprint(site.out_dir) == COLD[sources]


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS: dict[str, tuple[str, str, str]] = {
    # name: (file, old text, new text)
    "an event's summary": (
        "data/jurisdictions.yaml",
        "permanent injunction in 2018",
        "permanent injunction in late 2018",
    ),
    "a name shown in tables and search": ("data/jurisdictions.yaml", "name: Chicago\n", "name: Chicago City\n"),
    "a source that many records cite": (
        "data/jurisdictions.yaml",
        "Demands Documents and Threatens to Subpoena 23",
        "Demands Records and Threatens to Subpoena 23",
    ),
    "a status the map colours": (
        "data/jurisdictions.yaml",
        "status: responded\n    status_date: 2018-04-13\n",
        "status: cleared\n    status_date: 2018-04-13\n",
    ),
    "a lawsuit": ("data/cases.yaml", "id: chicago-v-sessions-2017", "id: chicago-v-sessions-2017-x"),
    "an explainer": ("content/about.md", "## Scope", "A new paragraph.\n\n## Scope"),
    "a template": ("templates/jurisdiction.html", "Send a correction", "Send us a correction"),
    "the layout": ("templates/base.html", "How to cite:", "How to cite this page:"),
    # Each jurisdiction's page draws its locator map from the outlines as it is made: Illinois, for Chicago's page.
    "an outline": ("data/boundaries/states.geojson", "[-91.418,40.378],[-91.375,", "[-91.418,40.378],[-91.3,"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_then_a_cached_build_is_byte_identical_to_a_cold_one(
    name: str, built: Path, rendered: list[str]
) -> None:
    tree, site = built, config_for(built, "site")  # built as it is in the repository
    file, old, new = EDITS[name]
    if name == "a lawsuit":  # an id is referenced elsewhere: rename every mention
        for path in (tree / "data").glob("*.yaml"):
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    else:
        edit(tree / file, old, new)
    build(site)
    made = list(rendered)
    same_as_cold(tree, site)
    if name in ("an event's summary", "a name shown in tables and search"):
        assert PAGE in made and OTHER not in made, "only the pages that show the edit are made again"
    if name in ("a template", "the layout", "a source that many records cite", "an outline"):
        assert PAGE in made and OTHER in made


def test_an_unchanged_build_renders_only_the_pages_about_the_whole_site(built: Path, rendered: list[str]) -> None:
    tree, site = built, config_for(built, "site")
    inode = (site.out_dir / PAGE).stat().st_ino
    files = build(site)
    assert PAGE not in rendered and 0 < len(rendered) < 60 < len(files)
    assert (site.out_dir / PAGE).stat().st_ino == inode, "an unchanged page is left where it is"
    same_as_cold(tree, site)


def test_removing_a_jurisdiction_and_a_page_removes_their_folders(tmp_path: Path) -> None:
    shutil.copytree(TINY, tmp_path, dirs_exist_ok=True)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    site = config_for(tmp_path, "site")
    build(site)
    assert (site.out_dir / "jurisdictions" / "jackson-ms").is_dir() and (site.out_dir / "about").is_dir()
    data = tmp_path / "data" / "jurisdictions.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text[: text.index("  - id: jackson-ms")], encoding="utf-8")
    (tmp_path / "content" / "about.md").unlink()
    build(site)
    assert not (site.out_dir / "jurisdictions" / "jackson-ms").exists() and not (site.out_dir / "about").exists()
    same_as_cold(tmp_path, site)


@pytest.mark.parametrize("tamper", ["edit a page", "add a file", "delete a page"])
def test_hand_changes_to_the_site_are_undone(tamper: str, request: pytest.FixtureRequest) -> None:
    if tamper == "edit a page":  # written in place: not into a file the pristine site shares
        tree = request.getfixturevalue("tree")
        build(config_for(tree, "site"))
    else:
        tree = request.getfixturevalue("built")
    site = config_for(tree, "site")
    page = site.out_dir / PAGE
    if tamper == "edit a page":
        page.write_bytes(page.read_bytes().replace(b"Chicago", b"Chicag0"))
    elif tamper == "add a file":
        (site.out_dir / "stray.txt").write_text("not ours")
    else:
        page.unlink()
    build(site)
    same_as_cold(tree, site)


def test_pages_rendered_in_worker_processes_are_recorded(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render, "WORKERS", 2)
    monkeypatch.setattr(render, "CHUNK", 5)
    site = config_for(tree, "site")
    build(site)
    edit(tree / "data" / "jurisdictions.yaml", "name: Chicago\n", "name: Chicago City\n")
    build(site)
    same_as_cold(tree, site)


@pytest.mark.parametrize("after", [False, True], ids=["before a rename", "just after a rename"])
@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_a_failed_update_leaves_the_site_as_it_was(
    count: int, after: bool, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree, site = built, config_for(built, "site")
    before = tree_bytes(site.out_dir)
    # A name in the search index: the commit moves pages in and replaces the search index whole.
    edit(tree / "data" / "jurisdictions.yaml", "official_name: City of Chicago\n", "official_name: Chicago City\n")
    real = Path.rename
    calls = []

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        calls.append(self)
        if len(calls) == count:  # at some point while moving the changed files in
            if after:
                real(self, target)
            raise KeyboardInterrupt
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(site)
    monkeypatch.undo()
    assert len(calls) >= count
    assert tree_bytes(site.out_dir) == before
    assert sorted(p.name for p in tree.iterdir() if p.name.startswith(".site.")) == []
    build(site)  # and the next build still updates correctly
    same_as_cold(tree, site)


def test_no_cache_renders_everything(tree: Path, rendered: list[str]) -> None:
    site = config_for(tree, "site")
    files = build(site)
    build(dataclasses.replace(site), use_cache=False)
    assert len(rendered) == len([f for f in files if f.endswith(".html") and not f.startswith("pagefind/")])


def test_parts_left_by_an_interrupted_build_never_reach_the_index(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree, site = built, config_for(built, "site")
    data = tree / "data" / "jurisdictions.yaml"
    original = data.read_text(encoding="utf-8")
    edit(data, "official_name: City of Chicago\n", "official_name: City of Chicago Interrupted\n")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(incremental, "index_folder", interrupted)  # after the new parts are written
    with pytest.raises(KeyboardInterrupt):
        build(site)
    monkeypatch.undo()
    data.write_text(original, encoding="utf-8")
    build(site)  # nothing indexed changed since the last finished build: the index is kept as it is
    edit(data, "official_name: City of Seattle\n", "official_name: City of Seattle, Washington\n")
    build(site)  # indexing again must not pick up the interrupted build's part for Chicago
    same_as_cold(tree, site)


def test_parts_of_removed_pages_go_when_the_code_changed_too(built: Path) -> None:
    tree, site = built, config_for(built, "site")
    edit(tree / "templates" / "base.html", "How to cite:", "How to cite this page:")  # the old records are void
    (tree / "content" / "about.md").unlink()
    build(site)
    same_as_cold(tree, site)


def test_a_walk_of_the_site_that_fails_means_a_whole_new_site(
    built: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def died(func: Callable, *args: object) -> Future:  # as when the walk's process is killed (out of memory)
        future: Future = Future()
        future.set_exception(BrokenProcessPool("the walk's process died"))
        return future

    monkeypatch.setattr(kept_module, "started", died)
    site = config_for(built, "site")
    build(site)
    assert OTHER in rendered, "nothing is trusted of a site that was not looked at"
    same_as_cold(built, site)


def test_the_search_input_that_older_builds_kept_is_removed(built: Path) -> None:
    legacy = cache.kept_path((built / "site").resolve(), "search")
    (legacy / "jurisdictions" / "chicago-il").mkdir(parents=True)
    (legacy / "jurisdictions" / "chicago-il" / "index.html").write_bytes(b"<main>old part</main>")
    build(config_for(built, "site"))
    assert not legacy.exists()
    assert cache.kept_path((built / "site").resolve(), "parts").is_dir()  # the input kept now stays


@pytest.mark.parametrize("damage", ["none", "a flipped byte", "another version of the code", "a cut-off file"])
def test_the_records_kept_for_the_next_build_are_used_only_when_intact(damage: str, built: Path) -> None:
    """The next build reads only edited records anew; a kept record whose file is damaged or stale never counts."""
    tree, site = built, config_for(built, "site")
    file = cache.kept_path(site.out_dir.resolve(), "recall")
    code = cache.code_digest(site.templates_dir, site.static_dir)
    kept = Recall.read(file, code)
    assert len(kept.items) == len(load_jurisdictions(site.data_file).jurisdictions) and kept.clean[1]
    # Chicago's text stays as it is, but the value kept for it gets another summary.
    chicago = next(key for key, value in kept.items.items() if marshal.loads(value)["id"] == "chicago-il")
    kept.items[chicago] = marshal.dumps({**marshal.loads(kept.items[chicago]), "summary": "Not from the file."})
    kept.write(file, code)
    blob = file.read_bytes()
    if damage == "a flipped byte":
        file.write_bytes(blob[:-7] + bytes([blob[-7] ^ 1]) + blob[-6:])
    elif damage == "another version of the code":
        kept.write(file, "another")
    elif damage == "a cut-off file":
        file.write_bytes(blob[: len(blob) // 2])
    build(site)
    if damage == "none":  # the kept records are trusted: this is how a damaged file, if used, would show
        assert b"Not from the file." in (site.out_dir / PAGE).read_bytes()
        return
    same_as_cold(tree, site)


@pytest.mark.parametrize("damage", ["none", "a flipped byte", "another version of the code", "a cut-off file"])
def test_the_download_pieces_kept_for_the_next_build_are_used_only_when_intact(damage: str, built: Path) -> None:
    """The downloads are joins of each record's kept pieces; a damaged or stale file of pieces is never used."""
    tree, site = built, config_for(built, "site")
    folder = cache.kept_path(site.out_dir.resolve(), "pieces")
    code = cache.code_digest(site.templates_dir, site.static_dir)
    kept = {}
    for file in sorted(folder.iterdir()):
        saved_code, values = pickle.loads(keep.read_sealed(file))
        assert saved_code == code and all(key[0] == file.name for key in values)
        kept.update(values)
    assert len(kept) == len(load_jurisdictions(site.data_file).jurisdictions)
    # Chicago's record stays as it is, but the CSV line kept for it says otherwise.
    key, chicago = next((k, v) for k, v in kept.items() if v.csv.startswith(b"chicago-il,"))
    file = folder / key[0]
    values = pickle.loads(keep.read_sealed(file))[1]
    values[key] = chicago._replace(csv=chicago.csv.replace(b"chicago-il,", b"not-from-the-file,"))
    keep.write_sealed(file, pickle.dumps((code if damage != "another version of the code" else "other", values)))
    blob = file.read_bytes()
    if damage == "a flipped byte":
        file.write_bytes(blob[:-7] + bytes([blob[-7] ^ 1]) + blob[-6:])
    elif damage == "a cut-off file":
        file.write_bytes(blob[: len(blob) // 2])
    build(site)
    if damage == "none":  # the kept pieces are trusted: this is how a damaged file, if used, would show
        assert b"not-from-the-file," in (site.out_dir / "data/jurisdictions.csv").read_bytes()
        return
    same_as_cold(tree, site)


def test_after_one_edit_only_the_files_of_the_edited_records_pieces_are_written(built: Path) -> None:
    """The file that held its old pieces, and the one that holds its new ones (files go by the key's first digit)."""
    tree, site = built, config_for(built, "site")
    folder = cache.kept_path(site.out_dir.resolve(), "pieces")
    before = {file.name: file.stat().st_mtime_ns for file in folder.iterdir()}
    build(site)  # nothing changed: nothing is written (a record read afresh and one kept hash alike)
    assert {file.name: file.stat().st_mtime_ns for file in folder.iterdir()} == before
    edit(tree / "data" / "jurisdictions.yaml", "\n    summary: ", "\n    summary: Edited. ")  # one record's
    build(site)
    after = {file.name: file.stat().st_mtime_ns for file in folder.iterdir()}
    written = [name for name in after if before.get(name) != after[name]]
    assert 1 <= len(written) <= 2 and len(after) > 2
    same_as_cold(tree, site)


@pytest.mark.parametrize("damage", ["none", "another version of the code", "a cut-off file"])
def test_the_map_kept_for_the_next_build_is_used_only_when_intact(damage: str, built: Path) -> None:
    """A build draws the map again (folium, half a second) only when what it shows or the code changed."""
    tree, site = built, config_for(built, "site")
    file = cache.kept_path(site.out_dir.resolve(), "map")
    key, fields = marshal.loads(file.read_bytes())
    fields = (fields[0], fields[1].replace("folium-map", "kept-map"), *fields[2:])
    code = cache.code_digest(site.templates_dir, site.static_dir)
    file.write_bytes(marshal.dumps((key if damage == "none" else "another", fields)))
    if damage == "a cut-off file":
        file.write_bytes(file.read_bytes()[:40])
    build(site)  # the home page is always made again
    home = (site.out_dir / "index.html").read_text(encoding="utf-8")
    if damage == "none":  # the kept map is trusted: this is how a stale one, if used, would show
        assert "kept-map" in home and key == marshal.loads(file.read_bytes())[0]
        return
    assert "kept-map" not in home
    assert marshal.loads(file.read_bytes())[0] == key != code
    same_as_cold(tree, site)


def test_a_template_edit_is_never_hidden_by_a_kept_page(built: Path) -> None:
    """An imported template's edit changes the code's digest, so no kept page or piece is used."""
    tree, site = built, config_for(built, "site")
    edit(tree / "templates" / "macros.html", "</a>", "</a><!-- edited -->")  # a template others import
    build(site)
    assert b"<!-- edited -->" in (site.out_dir / PAGE).read_bytes()
    same_as_cold(tree, site)
