"""Write the rendered site: check every path first, build beside site/, then swap it in."""

from __future__ import annotations

import contextlib
import filecmp
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from tracker.build.cache import files_under, tree_files
from tracker.errors import BuildError
from tracker.render.tables import Content, Output

# A national download is tens of MB: it may come as pieces, written one after another and never joined.
# Files every site this tool builds has at its top; a folder without them is not ours to replace.
SITE_MARKERS = ("index.html", "sitemap.xml")
ODD = re.compile(r"[\x00-\x1f\\]")  # a backslash or a control character is no web path


def _normal_form(path: str) -> str | None:
    """The path as PurePosixPath spells it, or None when it escapes the output folder."""
    # Nearly every path is already normal: skipping PurePosixPath for those saves a second per 20,000 paths.
    parts = path.split("/")
    if "" not in parts and "." not in parts and ".." not in parts:
        return path
    pure = PurePosixPath(path)
    return None if pure.is_absolute() or ".." in pure.parts or not pure.parts else pure.as_posix()


def check_paths(outputs: Iterable[Output]) -> dict[str, Content]:
    """Refuse paths that escape the output folder, and two producers claiming one path (or a file and a folder)."""
    files: dict[str, Content] = {}
    owners: dict[str, str] = {}
    folders: dict[str, tuple[str, str]] = {}  # folder key -> (a path inside it, its producer)
    for path, content, producer in outputs:
        normal = _normal_form(path)
        if normal is None or ODD.search(path):
            raise BuildError(f'{producer} would write to "{path}", which is outside the output folder.')
        parts = normal.split("/")
        key = normal.casefold()  # two names differing only in case collide on some hosts
        if key in owners:
            raise BuildError(f'two things would be written to "{path}": {owners[key]} and {producer}.')
        if key in folders:
            inner, other = folders[key]
            raise BuildError(f'"{path}" would be both a file ({producer}) and a folder holding "{inner}" ({other}).')
        for depth in range(len(parts) - 1, 0, -1):
            parent = "/".join(parts[:depth])
            folder = parent.casefold()
            if folder in owners:
                raise BuildError(
                    f'"{parent}" would be both a file ({owners[folder]}) and a folder holding "{path}" ({producer}).'
                )
            folders.setdefault(folder, (path, producer))
        owners[key] = producer
        files[normal] = content
    return files


def same_file(one: Path, other: Path) -> bool:
    try:
        return filecmp.cmp(one, other, shallow=False)
    except OSError:
        return False  # the site does not have it yet


def copy_tree_files(src: Path, prefix: str) -> list[Output]:
    """Static files (ours and vendored ones) as outputs, in sorted order."""
    return [(f"{prefix}{p.relative_to(src).as_posix()}", p.read_bytes(), f"static file {p}") for p in tree_files(src)]


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace anything but a site built here: --out . or --out data would delete the repository."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"the output folder {out_dir} is a file; choose a folder.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not all((out_dir / m).is_file() for m in SITE_MARKERS):
        raise BuildError(
            f"the output folder {out_dir} holds files but no site built by this tool "
            f"({' and '.join(SITE_MARKERS)} are missing), so it was left alone; choose a new or empty folder."
        )


class Staging:
    """A folder beside out_dir that becomes the site on commit(); on any failure it goes and the old site stays.

    A full disk or a read-only folder becomes a plain BuildError.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.root = self.out_dir  # replaced on entry

    def __enter__(self) -> Staging:
        check_out_dir(self.out_dir)
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
            self.root.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        except OSError as e:
            raise BuildError(f"could not write the site: {e.strerror or e}; the previous site was kept.") from e
        return self

    def put(self, path: str, content: Content) -> None:
        """A file of the new site."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
            return
        with target.open("wb") as file:
            file.writelines(content)  # one piece after another, never joined

    def commit(self, files: set[str], current: set[str]) -> None:
        """Put the staged site (`files`) in the old one's (`current`) place; on any failure put the old site back."""
        # The old site is renamed onto this folder while it is empty.
        old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.out_dir.parent))
        try:
            if self.out_dir.exists():
                self.out_dir.rename(old)
            self.root.rename(self.out_dir)
        except BaseException:
            # Checked on disk rather than by a flag: Ctrl-C may land between a rename and setting a flag.
            if old.exists() and not self.out_dir.exists():
                old.rename(self.out_dir)
            elif old.exists() and not any(old.iterdir()):
                old.rmdir()
            raise
        discard(old, len(files))

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, _: object) -> None:
        if e is None:
            return
        shutil.rmtree(self.root, ignore_errors=True)  # includes Ctrl-C: the half-written site goes
        if isinstance(e, OSError):
            raise BuildError(f"could not write the site: {e.strerror or e}; the previous site was kept.") from e


class Update(Staging):
    """Change the site in place: only new and changed files are staged, and commit() moves them in.

    Every step of the commit is a rename recorded with its undoing, so a failure or Ctrl-C at any point
    puts the old site back exactly, as Staging.commit() does for a whole new site; the cost is that of what changed.
    """

    UNITS = ("pagefind",)  # folders replaced whole when staged: the search index is one consistent set

    def __enter__(self) -> Update:
        super().__enter__()
        self.undone = True  # until a commit fails to undo itself, the backup holds nothing the site needs
        try:
            self.backup = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.out_dir.parent))
        except BaseException as e:
            super().__exit__(type(e), e, None)  # the staged folder goes; a full disk becomes a BuildError
            raise
        return self

    def put(self, path: str, content: Content) -> None:
        """Written unless the site already holds exactly these bytes."""
        if not isinstance(content, bytes):  # pieces: written, then kept only if the site's file differs
            super().put(path, content)
            if same_file(self.root / path, self.out_dir / path):
                (self.root / path).unlink()
            return
        with contextlib.suppress(OSError):  # not there yet
            if (self.out_dir / path).read_bytes() == content:
                return
        super().put(path, content)

    def commit(self, files: set[str], current: set[str]) -> None:
        undo: list[tuple[Path, Path | None]] = []  # (moved to, came from) or (folder made, None)
        units = [unit for unit in self.UNITS if (self.root / unit).exists()]
        gone = sorted(p for p in current - files if p.split("/", 1)[0] not in units)
        try:
            for unit in units:
                self._move(unit, undo)
            for path in sorted(files_under(str(self.root))):  # the units have left it already
                if not same_file(self.root / path, self.out_dir / path):
                    self._move(path, undo)
            for path in gone:
                self._set_aside(path, undo)
        except BaseException:
            self._undo(undo)
            raise
        _prune_empty_folders(self.out_dir, gone)
        discard(self.backup, len(gone) + sum(1 for p in current if p.split("/", 1)[0] in units))
        shutil.rmtree(self.root, ignore_errors=True)

    def _undo(self, undo: list[tuple[Path, Path | None]]) -> None:
        """Put every moved file back. Steps are recorded before they are taken, so each is checked on disk."""
        self.undone = False
        for moved, source in reversed(undo):
            if source is None:
                if moved.is_dir() and not any(moved.iterdir()):
                    moved.rmdir()
            elif moved.exists() and not source.exists():
                moved.rename(source)
        self.undone = True

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: object) -> None:
        if error is not None and not self.undone:
            # Undoing failed part way: the old files still in the backup are the only copy; keep them.
            shutil.rmtree(self.root, ignore_errors=True)
            raise BuildError(
                f"the site in {self.out_dir} was left part updated; the files it replaced are in {self.backup}. "
                "Build again (with --no-cache) to make a whole new site."
            ) from error
        if error is not None:
            shutil.rmtree(self.backup, ignore_errors=True)
        super().__exit__(kind, error, _)

    def _set_aside(self, path: str, undo: list[tuple[Path, Path | None]]) -> None:
        aside = self.backup / path
        aside.parent.mkdir(parents=True, exist_ok=True)
        undo.append((aside, self.out_dir / path))  # recorded first: Ctrl-C may land just after the rename
        (self.out_dir / path).rename(aside)

    def _move(self, path: str, undo: list[tuple[Path, Path | None]]) -> None:
        target = self.out_dir / path
        if target.exists():
            self._set_aside(path, undo)
        for folder in [d for d in reversed(target.parents) if not d.exists()]:
            undo.append((folder, None))
            folder.mkdir()
        undo.append((target, self.root / path))
        (self.root / path).rename(target)


def _prune_empty_folders(root: Path, removed: list[str]) -> None:
    """Remove the folders that removing files emptied (a deleted jurisdiction's folder)."""
    for path in removed:
        for folder in (root / path).parents:
            if folder == root or any(folder.iterdir()):
                break
            folder.rmdir()


BACKGROUND_FROM = 2_000  # files; deleting 10,000 page folders takes seconds on some disks


def discard(folder: Path, size: int) -> None:
    """Delete a folder nobody needs any more; a large one in the background, so the build can end."""
    if size < BACKGROUND_FROM:
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        devnull = subprocess.DEVNULL
        subprocess.Popen(
            ["rm", "-rf", "--", str(folder)], stdin=devnull, stdout=devnull, stderr=devnull, start_new_session=True
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
