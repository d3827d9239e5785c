"""`kenshu serve` as a trainer uses it: edit Content/, the open page reloads by itself; a broken
file shows its `file:line:col` over the page while the last good site stays served."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, new_page

KENSHU = REPO / ".build" / "debug" / "kenshu"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served(tmp_path: Path):
    if not KENSHU.exists():
        pytest.fail(f"{KENSHU} is missing: run `swift build` first")
    shutil.copytree(REPO / "Content", tmp_path / "Content")
    port = free_port()
    server = subprocess.Popen(
        [str(KENSHU), "serve", "--content", "Content", "--output", "Output", "--port", str(port), "--smtp-port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/v2/login.html", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("kenshu serve did not start:\n" + (server.stdout.read() if server.stdout else ""))
    yield base, tmp_path
    server.terminate()
    server.wait(timeout=10)


def test_serves_on_loopback_with_live_reload_script(served):
    base, _ = served
    html = urllib.request.urlopen(base + "/v2/login.html").read().decode()
    assert '<script src="/_kenshu/live.js"></script></body>' in html
    # the file on disk stays as `kenshu build` writes it
    assert "/_kenshu/live.js" not in (served[1] / "Output/v2/login.html").read_text()


def test_edit_reloads_and_error_shows_overlay(served, browser):
    base, root = served
    source = root / "Content/pages/login.md"
    original = source.read_text(encoding="utf-8")
    page = new_page(browser, "pc", bypass_csp=True)
    try:
        page.goto(base + "/v2/login.html")
        page.wait_for_timeout(300)  # let the EventSource connect

        source.write_text(original.replace("title: 求職者マイページログイン", "title: [broken"), encoding="utf-8")
        overlay = page.locator("#kenshu-build-error")
        overlay.wait_for(timeout=5000)
        assert "Content/pages/login.md:" in overlay.inner_text()
        assert "YAML syntax error" in overlay.inner_text()
        # the last good page is still what the server sends
        assert "求職者マイページログイン" in urllib.request.urlopen(base + "/v2/login.html").read().decode()

        source.write_text(original.replace("title: 求職者マイページログイン", "title: 求職者マイページログイン（改）"), encoding="utf-8")
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent.includes('（改）')", timeout=5000)
        assert page.locator("#kenshu-build-error").count() == 0
    finally:
        page.close()
