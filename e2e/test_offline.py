"""Output/ works offline and says what it is.

- No file (html, css, js, svg) refers to an http(s) resource: not in src/srcset, a
  <link> or <a> href, a form action, CSS url(...) or @import (footer links stay local too).
- Every page is <html lang="ja">, noindex, and shows 訓練用の模擬画面 at PC and smartphone width.
- Loading every page of one edition in Chromium requests nothing but file:// URLs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import (
    OUTPUT,
    VIEWPORTS,
    file_url,
    html_files,
    new_page,
    output_path,
    params_or_missing,
    rel_of,
    require,
    visible,
)

PATTERNS = {
    "src/srcset": re.compile(r"""\b(?:src|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    "<link href>": re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    "<a href>": re.compile(r"""<a\b[^>]*?\b(?:xlink:)?href\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    "<form action>": re.compile(r"""\baction\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    "url()": re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
    "@import": re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.I),
}
SCANNED = {".html", ".htm", ".css", ".js", ".mjs", ".svg"}


def scanned_files() -> list[str]:
    if not OUTPUT.is_dir():
        return []
    return sorted(p.relative_to(OUTPUT).as_posix() for p in OUTPUT.rglob("*") if p.suffix.lower() in SCANNED)


@pytest.mark.parametrize("rel", params_or_missing(scanned_files(), "files"))
def test_no_remote_references(rel):
    rel = require(rel, "html/css/js/svg files")
    text = output_path(rel).read_text(encoding="utf-8", errors="replace")
    hits = []
    for what, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            snippet = text[m.start(): m.start() + 120].split("\n")[0]
            hits.append(f"{rel}:{line}: {what}: {snippet}")
    assert not hits, "remote references (Output/ must work offline):\n" + "\n".join(hits)


class _HeadFacts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.robots = []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and self.lang is None:
            self.lang = a.get("lang")
        if tag == "meta" and a.get("name", "").lower() == "robots":
            self.robots.append(a.get("content", ""))


@pytest.mark.parametrize("rel", params_or_missing(html_files(), "pages"))
def test_page_is_japanese_and_noindex(rel):
    rel = require(rel, "HTML pages")
    facts = _HeadFacts()
    facts.feed(output_path(rel).read_text(encoding="utf-8"))
    assert facts.lang == "ja", f'{rel}: <html lang="ja"> expected, found lang={facts.lang!r}'
    assert any("noindex" in [t.strip().lower() for t in c.split(",")] for c in facts.robots), (
        f'{rel}: <meta name="robots" content="noindex"> expected, found {facts.robots!r}'
    )


@pytest.fixture(scope="module")
def pages(browser):
    ps = {name: new_page(browser, name) for name in VIEWPORTS}
    yield ps
    for p in ps.values():
        p.context.close()


@pytest.mark.parametrize("rel", params_or_missing(html_files(), "pages"))
def test_training_banner_visible(pages, rel):
    rel = require(rel, "HTML pages")
    url = file_url(rel)
    for name, page in pages.items():
        page.goto(url)
        page.wait_for_load_state()
        banner = visible(page.get_by_text("訓練用の模擬画面"))
        assert banner, f"{rel} at {name} width {VIEWPORTS[name][0]}px: no visible text 訓練用の模擬画面"


OFFLINE_EDITION = "v2"


def test_one_edition_requests_only_file_urls(browser):
    rels = html_files(OFFLINE_EDITION)
    if not rels:
        pytest.fail(f"no pages under {OUTPUT / OFFLINE_EDITION}")
    rels = ["index.html", *rels] if (OUTPUT / "index.html").is_file() else rels
    page = new_page(browser, "pc")
    context = page.context
    remote: list[str] = []
    current = {"rel": ""}

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            remote.append(f"{current['rel']}: {r.request.resource_type} {url}")
            r.abort()

    context.route("**/*", route)
    page.on("websocket", lambda ws: remote.append(f"{current['rel']}: websocket {ws.url}"))
    try:
        for rel in rels:
            current["rel"] = rel
            page.goto(file_url(rel))
            page.wait_for_load_state("load")
            page.wait_for_timeout(150)  # let scripts run that start requests after load
            assert rel_of(page.url) == rel, f"{rel} redirected to {page.url}"
    finally:
        context.close()
    assert not remote, "requests to something other than file://:\n" + "\n".join(remote)
