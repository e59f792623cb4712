"""Write the rendered site: check every path first, build beside site/, then swap it in."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from tracker.errors import BuildError

Output = tuple[str, bytes, str]  # (path relative to the site root, content, what produced it)


def check_paths(outputs: Iterable[Output]) -> dict[str, bytes]:
    """Refuse paths that escape the output folder and two producers claiming one path."""
    files: dict[str, bytes] = {}
    owners: dict[str, str] = {}
    for path, content, producer in outputs:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path:
            raise BuildError(f'{producer} would write to "{path}", which is outside the output folder.')
        key = pure.as_posix().casefold()  # two names differing only in case collide on some hosts
        if key in owners:
            raise BuildError(f'two things would be written to "{path}": {owners[key]} and {producer}.')
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


def write_site(files: dict[str, bytes], out_dir: Path) -> None:
    """Write into a temporary folder beside out_dir and swap it in only when every file is written."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
    try:
        for path in sorted(files):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        swap(staging, out_dir)
    except BaseException:  # includes Ctrl-C: the old site stays, the half-written one goes
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap(staging: Path, out_dir: Path) -> None:
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        if old.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
