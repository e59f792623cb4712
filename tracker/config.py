"""Site configuration: paths and addresses, built once from the command line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tracker.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SiteConfig:
    """Everything a build needs to know that is not in data/ or content/."""

    data_dir: Path
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    out_dir: Path
    base_url: str  # path prefix of every internal link, always starting and ending with "/"
    site_url: str  # absolute address of the site root, ending with "/"
    title: str
    repo_url: str
    tiles: bool = True

    @property
    def data_file(self) -> Path:
        return self.data_dir / "jurisdictions.yaml"


def normalise_base_url(value: str) -> str:
    """Return the prefix as "/", or "/x/" with exactly one slash at each end."""
    return "/" + "".join(p + "/" for p in value.strip().split("/") if p)


def normalise_site_url(value: str) -> str:
    """Return an absolute http(s) address ending with "/"."""
    value = value.strip()
    if not value.startswith(("https://", "http://")):
        raise BuildError(f'--site-url must start with "https://" or "http://", but it is "{value}".')
    return value.rstrip("/") + "/"


def make_config(
    *,
    data_dir: Path | None = None,
    content_dir: Path | None = None,
    out_dir: Path | None = None,
    base_url: str | None = None,
    site_url: str | None = None,
    tiles: bool = True,
) -> SiteConfig:
    """Build a SiteConfig, filling what the caller left out from site.json and the repository."""
    path = ROOT / "site.json"  # the small committed settings: site title, default address, repository
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BuildError(f"{path}: cannot read the site settings: {e}") from e
    site = normalise_site_url(site_url or settings["site_url"])
    return SiteConfig(
        data_dir=Path(data_dir or ROOT / "data"),
        content_dir=Path(content_dir or ROOT / "content"),
        templates_dir=ROOT / "templates",
        static_dir=ROOT / "static",
        out_dir=Path(out_dir or ROOT / "site"),
        # Links default to the path of the published address, so one setting serves both.
        base_url=normalise_base_url(base_url if base_url is not None else urlsplit(site).path),
        site_url=site,
        title=settings["title"],
        repo_url=settings["repo_url"],
        tiles=tiles,
    )
