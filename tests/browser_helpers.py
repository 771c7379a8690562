"""Shared by the browser tests: Debian's headless chromium, a page that records trouble.

The ``browser`` and ``page`` fixtures (in ``conftest``) use these; a module that requests
``page`` defines ``base_url``, the address of the site it serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, launched headless by Playwright (never its own browser download)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests drive Debian's chromium; install "
                    "it with `sudo apt-get install chromium` (CI and `make test` do), never "
                    "with `playwright install`", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


class Trouble:
    """Console errors, page errors, failed requests and requests to other servers."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.found: list[str] = []

    def request(self, request: Request) -> None:
        if not request.url.startswith((f"{self.origin}/", "data:")):
            self.found.append(f"request to another server (the site must work offline): "
                              f"{request.url}")

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.found.append(f"console error: {message.text} ({message.location})")

    def page_error(self, error: Exception) -> None:
        self.found.append(f"page error: {error}")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.found.append(f"HTTP {response.status}: {response.url}")

    def request_failed(self, request: Request) -> None:
        # A click that leaves the page aborts what it still loads (search loads its language
        # scripts lazily); a missing file is an HTTP 404, caught by `response`.
        if request.failure == "net::ERR_ABORTED":
            return
        self.found.append(f"request failed: {request.url} ({request.failure})")

    def watch(self, tab: Page) -> None:
        """Record the trouble of every request and message of ``tab`` from now on."""
        tab.on("request", self.request)
        tab.on("console", self.console)
        tab.on("pageerror", self.page_error)
        tab.on("response", self.response)
        tab.on("requestfailed", self.request_failed)


@contextmanager
def watched_page(browser: Browser, origin: str, test: str) -> Iterator[Page]:
    """A fresh page; on leaving, fails ``test`` on any console error, page error or failed
    request seen on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(5000)  # local files: a step that takes longer has failed
    tab = context.new_page()
    trouble = Trouble(origin)
    trouble.watch(tab)
    try:
        yield tab
    finally:
        context.close()
    assert trouble.found == [], f"{test}: " + "\n".join(trouble.found)


def shot(page: Page, name: str) -> None:
    """A screenshot of the step, kept in tests/artifacts/ (git-ignored) for review."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
