"""axe-core finds no serious or critical violation on any page of either edition,
at PC (1280x900) and smartphone (390x844) width."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import EDITIONS, VIEWPORTS, axe_blocking, axe_report, file_url, html_files, new_page, params_or_missing, require

PAGES = [rel for ed in EDITIONS for rel in html_files(ed)]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def pages(browser):
    ps = {name: new_page(browser, name) for name in VIEWPORTS}
    yield ps
    for p in ps.values():
        p.context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("rel", params_or_missing(PAGES, "pages"))
def test_no_serious_axe_violations(pages, axe, rel, viewport):
    rel = require(rel, "pages under v1/ and v2/")
    page = pages[viewport]
    page.goto(file_url(rel))
    page.wait_for_load_state()
    blocking = axe_blocking(axe, page)
    width, height = VIEWPORTS[viewport]
    assert not blocking, f"{rel} at {width}x{height}: axe violations\n{axe_report(blocking)}"
