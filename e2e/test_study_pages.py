"""The pages usability studies add (issue #15) pass axe-core and the Nu HTML Checker at 1280 and
390 px: the facilitator's console and participant page, the participant's study page in every
state (not a participant, waiting, prepared, running, SEQ, SUS, finished), a mock page with the
task bar, and the report. Each page is also loaded under its Content-Security-Policy without a
violation (the task bar's styles and script are files of this server)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import axe_blocking, axe_report, new_page, vnu_line, vnu_messages
from test_classroom import ClassServer, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ClassServer(tmp_path_factory.mktemp("kenshu-study-pages"), port=free_port())
    srv.start()
    srv.wait()
    yield srv
    srv.stop()


def check(page, name: str, viewport: str, problems: list[str], csp: list[str], saved) -> None:
    """axe-core now; the page's HTML saved for one run of the Nu HTML Checker at the end (a run per
    page would start Java twenty times)."""
    page.wait_for_load_state("load")
    blocking = axe_blocking(Axe(), page)
    if blocking:
        problems.append(f"axe {name} at {viewport}:\n{axe_report(blocking)}")
    (saved / f"{name}-{viewport}.html").write_text(page.content(), encoding="utf-8")
    if csp:
        problems.append(f"CSP {name} at {viewport}: {csp}")
        csp.clear()


def test_study_pages_pass_axe_and_the_html_checker(server, browser, tmp_path):
    problems: list[str] = []
    saved = tmp_path / "pages"
    saved.mkdir()
    for viewport in ("pc", "sp"):
        facilitator = new_page(browser, "pc")
        participant = new_page(browser, viewport)
        csp: list[str] = []
        for page in (facilitator, participant):
            page.on("console", lambda message: csp.append(message.text) if "Content Security Policy" in message.text else None)
        try:
            participant.goto(server.base + "/study")
            check(participant, "study-none", viewport, problems, csp, saved)

            facilitator.goto(server.base + "/facilitator")
            check(facilitator, "facilitator", "pc", problems, csp, saved)
            with facilitator.expect_navigation():
                facilitator.get_by_role("button", name="参加者を作る").click()
            participant_id = facilitator.url.rsplit("/", 1)[1]
            join = facilitator.locator("a[href*='/join/']").first.get_attribute("href")
            participant.goto(join)
            check(participant, "study-idle", viewport, problems, csp, saved)

            with facilitator.expect_navigation():
                facilitator.locator("form.prepare").filter(has=facilitator.locator("input[value='login']")) \
                    .get_by_role("button").click()
            participant.reload()
            assert "開始" in participant.content()
            check(participant, "study-prepared", viewport, problems, csp, saved)
            with participant.expect_navigation():
                participant.get_by_role("button", name="開始").click()
            assert participant.locator("#kenshu-study").count() == 1
            check(participant, "mock-with-bar", viewport, problems, csp, saved)
            participant.goto(server.base + "/study")
            check(participant, "study-running", viewport, problems, csp, saved)

            facilitator.goto(f"{server.base}/facilitator/participants/{participant_id}")
            check(facilitator, "facilitator-participant", "pc", problems, csp, saved)

            with participant.expect_navigation():
                participant.get_by_role("button", name="できた").click()
            check(participant, "study-seq", viewport, problems, csp, saved)
            participant.locator("label.kenshu-study-option", has_text="6").first.click()
            with participant.expect_navigation():
                participant.get_by_role("button", name="回答する").click()
            facilitator.goto(f"{server.base}/facilitator/participants/{participant_id}")
            with facilitator.expect_navigation():
                facilitator.get_by_role("button", name="SUS の回答を依頼").click()
            participant.reload()
            check(participant, "study-sus", viewport, problems, csp, saved)
            for item in range(1, 11):
                participant.locator(f"input[name='q{item}'][value='{3 if item % 2 else 2}']").check(force=True)
            with participant.expect_navigation():
                participant.get_by_role("button", name="回答する").click()
            assert "ご協力ありがとうございました" in participant.content()
            check(participant, "study-finished", viewport, problems, csp, saved)

            facilitator.goto(server.base + "/facilitator/report")
            assert re.search(r"SUS", facilitator.content())
            check(facilitator, "report", "pc", problems, csp, saved)
        finally:
            facilitator.context.close()
            participant.context.close()
    problems += [vnu_line(message, message.get("url", "").rsplit("/", 1)[-1]) for message in vnu_messages(saved)]
    assert not problems, "\n".join(problems)
