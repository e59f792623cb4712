"""Write the rendered site: check every path first, build beside site/, then swap it in."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from tracker.errors import BuildError

Output = tuple[str, bytes, str]  # (path relative to the site root, content, what produced it)
# Files every site this tool builds has at its top; a folder without them is not ours to replace.
SITE_MARKERS = ("index.html", "sitemap.xml")


def _outside(path: str) -> bool:
    pure = PurePosixPath(path)
    odd = "\\" in path or any(ord(c) < 32 for c in path)  # a backslash or a control character is no web path
    return pure.is_absolute() or ".." in pure.parts or not pure.parts or odd


def check_paths(outputs: Iterable[Output]) -> dict[str, bytes]:
    """Refuse paths that escape the output folder, and two producers claiming one path (or a file and a folder)."""
    files: dict[str, bytes] = {}
    owners: dict[str, str] = {}
    folders: dict[str, tuple[str, str]] = {}  # folder key -> (a path inside it, its producer)
    for path, content, producer in outputs:
        if _outside(path):
            raise BuildError(f'{producer} would write to "{path}", which is outside the output folder.')
        pure = PurePosixPath(path)
        key = pure.as_posix().casefold()  # two names differing only in case collide on some hosts
        if key in owners:
            raise BuildError(f'two things would be written to "{path}": {owners[key]} and {producer}.')
        if key in folders:
            inner, other = folders[key]
            raise BuildError(f'"{path}" would be both a file ({producer}) and a folder holding "{inner}" ({other}).')
        for parent in pure.parents[:-1]:
            folder = parent.as_posix().casefold()
            if folder in owners:
                raise BuildError(
                    f'"{parent}" would be both a file ({owners[folder]}) and a folder holding "{path}" ({producer}).'
                )
            folders.setdefault(folder, (path, producer))
        owners[key] = producer
        files[pure.as_posix()] = content
    return files


def copy_tree_files(src: Path, prefix: str) -> list[Output]:
    """Static files (ours and vendored ones) as outputs, in sorted order."""
    return [
        (f"{prefix}{p.relative_to(src).as_posix()}", p.read_bytes(), f"static file {p}")
        for p in sorted(src.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace anything but a site built here: --out . or --out data would delete the repository."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"the output folder {out_dir} is a file; choose a folder.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not all((out_dir / m).is_file() for m in SITE_MARKERS):
        raise BuildError(
            f"the output folder {out_dir} holds files but no site built by this tool "
            f"({' and '.join(SITE_MARKERS)} are missing), so it was left alone; choose a new or empty folder."
        )


def write_site(files: dict[str, bytes], out_dir: Path) -> None:
    """Write into a temporary folder beside out_dir and swap it in only when every file is written."""
    out_dir = out_dir.resolve()
    check_out_dir(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as e:
        raise BuildError(f"could not write the site: {e.strerror or e}; the previous site was kept.") from e
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        for path in sorted(files):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        swap(staging, out_dir)
    except OSError as e:  # a full disk or a read-only folder: a plain message, not a traceback
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"could not write the site: {e.strerror or e}; the previous site was kept.") from e
    except BaseException:  # includes Ctrl-C: the old site stays, the half-written one goes
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap(staging: Path, out_dir: Path) -> None:
    """Put staging in out_dir's place; if that fails at any point, put the old site back."""
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)  # left by a build killed mid-swap
    try:
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
    except BaseException:
        # Checked on disk rather than by a flag: Ctrl-C may land between a rename and setting a flag.
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
