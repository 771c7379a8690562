"""A print document rendered into a PDF by WeasyPrint, cached by its content.

Nothing is fetched: the document carries its own style sheet, fonts come from the machine
(fontconfig), and every URL WeasyPrint would load (an image, a style sheet) is refused and
left out. The PDF carries no clock time (its dates are the release's), so the same document
gives the same bytes; a rendered PDF is kept in ``.policy_cache/pdf/`` under the digest of
everything that makes it (``POLICY_PDF_CACHE`` names another folder), so an unchanged
version is never rendered twice. A cache that cannot be read or written is no cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import __version__
from .cache import CACHE_DIR, tag
from .errors import PolicyError
from .yamlio import write_atomic

CACHE_ENV = "POLICY_PDF_CACHE"
# Bump when the rendering changes in a way its sources do not show (the fetcher, options,
# the Markdown extensions' code).
FORMAT = "2"
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class PdfError(PolicyError):
    """A PDF could not be rendered."""


@dataclass(frozen=True)
class Rendered:
    """A PDF: the cached file holding it, or its bytes when the cache could not take it."""

    size: int
    path: Path | None = None
    data: bytes | None = None
    fresh: bool = False  # rendered by this call, not read from the cache
    refused: tuple[str, ...] = field(default=())  # URLs the document asked for, not fetched


def cache_folder(root: Path) -> Path:
    """Where rendered PDFs are kept: ``POLICY_PDF_CACHE``, else ``.policy_cache/pdf/``."""
    named = os.environ.get(CACHE_ENV)
    return Path(named) if named else root / CACHE_DIR / "pdf"


def render(source: str, html: Callable[[], str], base_url: str, folder: Path,
           display: str) -> Rendered:
    """The PDF of ``html()`` (links resolved against ``base_url``), from the cache if there.

    ``source`` is everything the HTML is made from, so a cached PDF is found without making
    the HTML. A failure to render is a :class:`PdfError` naming ``display`` (the archived
    file).
    """
    path = folder / f"{_key(source, base_url)}.pdf"
    size = _cached_size(path)
    if size is not None:
        return Rendered(size, path)
    data, refused = _weasyprint(html(), base_url, display)
    try:
        tag(folder)
        write_atomic(path, data)
    except (OSError, PolicyError):
        return Rendered(len(data), data=data, fresh=True, refused=refused)
    return Rendered(len(data), path, fresh=True, refused=refused)


def _key(source: str, base_url: str) -> str:
    digest = hashlib.blake2b(digest_size=24)
    for part in (FORMAT, __version__, *map(_version, ("weasyprint", "pydyf", "markdown")),
                 base_url, source):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def _cached_size(path: Path) -> int | None:
    """The size of a complete cached PDF (a regular file, whole), else None."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size < 16:
            return None
        with path.open("rb") as handle:
            head = handle.read(5)
            handle.seek(-8, os.SEEK_END)
            tail = handle.read()
    except OSError:
        return None
    return info.st_size if head == b"%PDF-" and b"%%EOF" in tail else None


def _weasyprint(html: str, base_url: str, display: str) -> tuple[bytes, tuple[str, ...]]:
    """Render with WeasyPrint (imported here: it takes a second to load)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfError(f"cannot render PDFs: WeasyPrint does not load ({_line(exc)}); it "
                       f"needs Debian's {DEBIAN_PACKAGES} (make installs them)",
                       display) from None
    # what it cannot load is reported by the fetcher, once, by the caller: not on stderr
    logging.getLogger("weasyprint").propagate = False
    fetcher = _refusing(weasyprint)
    try:
        data = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    except Exception as exc:  # WeasyPrint's own failures have no common type
        raise PdfError(f"cannot render its PDF: {type(exc).__name__}: {_line(exc)}",
                       display) from None
    return bytes(data), tuple(fetcher.refused)


def _refusing(weasyprint: Any) -> Any:
    """A URL fetcher that fetches nothing and remembers what it was asked for."""

    class Refusing(weasyprint.URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url)
            raise ValueError(f"not fetched (a PDF loads nothing): {url}")

    return Refusing()


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
