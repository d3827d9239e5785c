"""The QR code on the v1 home page and on the v2 受付票 is a real, readable QR code
of the 求職番号 (decoded with zbarimg from a rendering of the inline SVG)."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest

from conftest import new_page, open_page, visible

EXPECTED = "70000-99999999"
QR_PAGES = ["v1/home.html", "v2/reception-slip.html"]
SIZE = 360  # px the QR code is drawn at, plus a white quiet zone around it


@pytest.fixture(scope="module")
def page(browser):
    p = new_page(browser, "pc")
    yield p
    p.context.close()


@pytest.mark.parametrize("rel", QR_PAGES)
def test_qr_code_decodes_to_job_seeker_number(page, rel, tmp_path):
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg not found (make test-deps installs zbar-tools)")
    open_page(page, rel)
    svgs = page.locator("svg.qr")
    if svgs.count() == 0:
        pytest.fail(f"{rel}: no inline <svg class=\"qr\">")
    assert visible(svgs), f"{rel}: the QR code <svg class=\"qr\"> is not visible at 1280px"
    svg = visible(svgs)[0]
    # Draw it large where it is, with the page's own styles, then put that picture
    # alone on white with a quiet zone around it, for the decoder.
    svg.evaluate(
        f"e => {{ e.style.width = '{SIZE}px'; e.style.height = '{SIZE}px'; e.style.maxWidth = 'none'; }}"
    )
    shot = base64.b64encode(svg.screenshot()).decode()
    page.set_content(
        '<!DOCTYPE html><html><body style="margin:0;background:#fff">'
        '<div id="qr" style="display:inline-block;padding:48px;background:#fff;line-height:0">'
        f'<img alt="" src="data:image/png;base64,{shot}"></div></body></html>'
    )
    png = tmp_path / "qr.png"
    page.locator("#qr").screenshot(path=str(png))
    proc = subprocess.run([zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True, timeout=60)
    decoded = proc.stdout.strip()
    assert proc.returncode == 0 and decoded, (
        f"{rel}: zbarimg could not read the QR code (exit {proc.returncode}) {proc.stderr.strip()}"
    )
    assert decoded == EXPECTED, f"{rel}: QR code decodes to {decoded!r}, expected {EXPECTED!r}"
