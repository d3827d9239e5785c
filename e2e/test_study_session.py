"""A usability-study session (issue #15) with a real `kenshu serve` and two real browsers.

1. `test_two_browser_session`: the facilitator's console (1280 × 800) and the participant's
   phone (390 × 844) at once. The facilitator creates P01 and prepares the forgotten-password
   task; the participant's /study page (opened from the join link on the console) shows 「開始」
   by its own polling. The participant misclicks once on a paragraph, requests a reset, reads the
   認証キー in the own mailbox (the task bar's link), types a wrong key once (the right key with
   its last character changed), then the right one, presses できた and answers the SEQ with 6.
   Meanwhile the console shows — live, without reloading — the participant's page and the
   誤クリック and 認証キー不一致 events, and the facilitator adds a note by keyboard (n, text,
   Alt+3, Enter). Afterwards attempts.csv and the report show one direct success with 1 misclick
   and the one key_mismatch, and no file of the data directory holds the typed password, the
   typed wrong key, or (outside the mail) the right key.
2. `test_restart_mid_task_loses_no_event`: clicks before, during and after a restart of the
   server (SIGTERM, the same --data and port) while the participant's page stays open: the log
   holds every click exactly once, numbered 1..N without a gap.
3. `test_task_bar_only_for_participants_and_covers_nothing`: the bar is in no plain page (served
   to a browser that is not a participant's, nor in Output/); at 390 px with the bar on
   /v2/login.html every visible link, button and field is the element found at its own centre.

Each test has its own server (temp --data and --output, a free port). The binary is $KENSHU
(default .build/debug/kenshu, relative to the repository). Screenshots (for people, not
asserted) go to /tmp/study-shots/.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from conftest import OUTPUT, REPO

KENSHU = Path(os.environ.get("KENSHU", ".build/debug/kenshu"))
if not KENSHU.is_absolute():
    KENSHU = REPO / KENSHU
SHOTS = Path("/tmp/study-shots")

TASK = "forgot-password"
NEW_PASSWORD = "Kenshu#2025a"  # the task's prompt asks for this one
ID_LABEL = "ID（メールアドレス）"
RESET_SUBJECT = "パスワード再登録申込受付通知"
KEY_MISMATCH_TEXT = "認証キーが正しくありません。"
NOTE_TEXT = "認証キーの欄を探して画面を何度も上下に動かしていた"
EXPECTED_PATH = "v2/login.html > v2/password-reset.html > v2/password-reset-key.html > v2/password-reset-done.html"
KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
TIMEOUT_MS = 15_000


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, *, timeout: float = 5) -> tuple[int, str]:
    """A plain GET without cookies or proxy: (status, body)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace") if error.fp else ""


class StudyServer:
    """`kenshu serve` on a fixed free port with a temp --data and --output; `restart()` keeps both."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.output = root / "output"
        self.log = root / "server.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, *, reset_state: bool = False) -> None:
        if not KENSHU.exists():
            pytest.fail(f"{KENSHU} is missing: run `swift build --product kenshu` (or set KENSHU)")
        args = [str(KENSHU), "serve", "--content", str(REPO / "Content"), "--output", str(self.output),
                "--port", str(self.port), "--smtp-port", "0", "--data", str(self.data),
                "--password-hash-iterations", "10000"]
        if reset_state:
            args.append("--reset-state")
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"\n--- start {' '.join(args)}\n")
            log.flush()
            self.process = subprocess.Popen(args, cwd=self.root, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"kenshu serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, html = http_get(self.base + "/v2/login.html", timeout=2)
                if status == 200 and 'name="csrf_token"' in html:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"kenshu serve did not serve the live login page within 60 s:\n{self.log_tail()}")

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 15 s; the exit status (None when it was not running)."""
        code = None
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
                code = "killed after 15 s"
        self.process = None
        return code

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@pytest.fixture
def server(tmp_path):
    srv = StudyServer(tmp_path)
    srv.start(reset_state=True)
    yield srv
    srv.stop()


def keep(name: str, text: str) -> None:
    """A download kept beside the screenshots, for people (not asserted)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / name).write_text(text, encoding="utf-8")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


# --------------------------------------------------------------------------- browsers


def facilitator_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    context.set_default_timeout(TIMEOUT_MS)
    return context


def phone_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="ja-JP")
    context.set_default_timeout(TIMEOUT_MS)
    return context


def path_of(page: Page) -> str:
    return urllib.parse.urlparse(page.url).path


def said(page: Page, limit: int = 400) -> str:
    try:
        return " ".join(page.locator("body").inner_text().split())[:limit]
    except Exception:  # noqa: BLE001 - the page may be navigating
        return "(unreadable)"


def wait_path(page: Page, path: str, *, step: str) -> None:
    try:
        page.wait_for_url(lambda url: urllib.parse.urlparse(url).path == path, timeout=TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - say where the page is instead
        pytest.fail(f"{step}: expected {path}, at {path_of(page)}; the page says: {said(page)}")
    page.wait_for_load_state()


class Console:
    """The facilitator's browser page on /facilitator."""

    def __init__(self, page: Page, server: StudyServer):
        self.page = page
        self.server = server

    def create_participant(self) -> dict:
        page = self.page
        page.goto(self.server.base + "/facilitator")
        page.locator("select#seeker").select_option("asu")
        with page.expect_navigation():
            page.get_by_role("button", name="参加者を作る", exact=True).click()
        found = re.search(r"/facilitator/participants/(P\d+)$", path_of(page))
        assert found, f"参加者を作る landed on {page.url}: {said(page)}"
        account = page.locator("p", has_text="初期パスワード").locator("code")
        expect(account).to_have_count(2)
        join = page.locator('a[href*="/join/"]')
        expect(join).to_have_count(1)
        return {"id": found.group(1), "email": account.nth(0).inner_text().strip(),
                "password": account.nth(1).inner_text().strip(), "join": join.get_attribute("href")}

    def prepare(self, task: str) -> None:
        page = self.page
        form = page.locator("form.prepare").filter(has=page.locator(f'input[name="task"][value="{task}"]'))
        expect(form).to_have_count(1)
        with page.expect_navigation():
            form.get_by_role("button", name="この課題を準備", exact=True).click()
        expect(page.locator("p.notice")).to_contain_text("課題を準備しました")

    def get(self, path: str) -> str:
        """A console download (attempts.csv, events.json, the report) with the facilitator's browser."""
        response = self.page.context.request.get(self.server.base + path)
        assert response.status == 200, f"GET {path}: {response.status}: {response.text()[:300]}"
        return response.text()

    def events_of(self, participant: str) -> list[dict]:
        archive = json.loads(self.get("/facilitator/events.json"))
        return sorted((e for e in archive["events"] if e.get("participant") == participant), key=lambda e: e["seq"])


def join_and_start(phone: Page, join_url: str, *, prepared_later: Callable[[], None] | None = None) -> None:
    """Opens the join link on /study; when `prepared_later` is given, the task is prepared only
    now, and 「開始」 must appear by the page's own polling (no reload by the test)."""
    phone.goto(join_url)
    wait_path(phone, "/study", step="the join link")
    start = phone.get_by_role("button", name="開始", exact=True)
    if prepared_later is not None:
        expect(phone.get_by_role("heading", name="次の課題をお待ちください")).to_be_visible()
        expect(start).to_have_count(0)
        prepared_later()
    try:
        expect(start).to_be_visible(timeout=TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"/study shows no 「開始」 within {TIMEOUT_MS} ms of preparing the task: {said(phone)}")
    with phone.expect_navigation():
        start.click()


# --------------------------------------------------------------------------- the data directory


def files_holding(root: Path, needles: list[str], *, skip: Path | None = None) -> list[str]:
    """`grep -r -a -l -F` in Python: every file under `root` (but `skip`) whose bytes contain one
    of `needles` (UTF-8), as `path: needle`; a stored mail also by its decoded text (its body is
    base64, which a byte search cannot see into)."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or (skip is not None and skip in path.parents):
            continue
        data = path.read_bytes()
        if "mail" in path.relative_to(root.parent).parts:
            data += b"\n" + decoded_mail(data)  # the mail's body is base64: search its text too
        for needle in needles:
            if needle.encode() in data:
                found.append(f"{path.relative_to(root)}: {needle!r}")
    return found


def decoded_mail(raw: bytes) -> bytes:
    """The decoded text of a stored message (headers and every text part), as UTF-8."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = [str(message.get(h, "")) for h in ("Subject", "From", "To")]
        parts += [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
        return "\n".join(parts).encode()
    except Exception:  # noqa: BLE001 - not a message: the raw bytes were searched
        return b""


def wrong_key_for(key: str, data: Path) -> str:
    """The key with its last character changed, to one that makes a string found nowhere in the
    data directory yet (so finding it later means the server stored what was typed)."""
    for replacement in KEY_ALPHABET:
        if replacement == key[-1]:
            continue
        wrong = key[:-1] + replacement
        if not files_holding(data, [wrong]):
            return wrong
    pytest.fail(f"every one-character change of the key {key} is already in {data}")


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- 1. the session


def test_two_browser_session(server: StudyServer, browser: Browser):
    fac_context, phone_ctx = facilitator_context(browser), phone_context(browser)
    try:
        run_session(server, Console(fac_context.new_page(), server), phone_ctx.new_page())
    finally:
        fac_context.close()
        phone_ctx.close()


def run_session(server: StudyServer, console: Console, phone: Page) -> None:
    fac = console.page
    person = console.create_participant()
    assert person["id"] == "P01", person
    assert person["email"] == "study01@example.jp", person
    assert urllib.parse.urlparse(person["join"]).query == "to=study", person["join"]

    # The participant waits on /study; 「開始」 comes by the page's polling once the task is prepared.
    join_and_start(phone, person["join"], prepared_later=lambda: console.prepare(TASK))
    wait_path(phone, "/v2/login.html", step="開始")
    bar = phone.locator("#kenshu-study")
    expect(bar).to_be_visible()
    expect(bar.locator("summary")).to_have_text("課題 2/6")
    expect(bar.get_by_role("button", name="できた", exact=True)).to_be_visible()
    expect(bar.get_by_role("button", name="あきらめる", exact=True)).to_be_visible()
    shot(phone, "participant-login-390.png")

    # The console follows the running attempt from here on without reloading: it reloads itself
    # once when the state changes (prepared → running); count main-frame navigations after that.
    expect(fac.locator("body")).to_have_attribute("data-state", "running", timeout=TIMEOUT_MS)
    expect(fac.locator("#live-state")).to_have_text("実施中")
    expect(fac.locator("#live-page")).to_contain_text("login.html")
    navigations: list[str] = []
    fac.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == fac.main_frame else None)
    events = fac.locator("tbody#events tr")

    # One misclick: the lead paragraph (not a link).
    lead = phone.locator("main p.lead")
    expect(lead).to_have_count(1)
    lead.click()
    expect(events.filter(has_text="誤クリック")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(events.filter(has_text="誤クリック")).to_contain_text("p.lead")

    # パスワードをお忘れの方 → the ID → 次へ進む.
    with phone.expect_navigation():
        phone.get_by_role("link", name="パスワードをお忘れの方", exact=True).click()
    wait_path(phone, "/v2/password-reset.html", step="パスワードをお忘れの方")
    expect(fac.locator("#live-page")).to_contain_text("password-reset.html", timeout=TIMEOUT_MS)
    phone.get_by_label(ID_LABEL, exact=True).fill(person["email"])
    with phone.expect_navigation():
        phone.get_by_role("button", name="次へ進む", exact=True).click()
    wait_path(phone, "/v2/password-reset-key.html", step="次へ進む")
    expect(fac.locator("#live-page")).to_contain_text("password-reset-key.html", timeout=TIMEOUT_MS)

    # The 認証キー from the own mailbox, through the task bar's link (a new tab).
    key = key_from_mailbox(phone)
    wrong = wrong_key_for(key, server.data)

    # A wrong key first: the form comes back with the key_mismatch message.
    fill_reset(phone, wrong)
    wait_path(phone, "/v2/password-reset-key.html", step="完了 with a wrong key")
    expect(phone.locator("#reset-key-error")).to_contain_text(KEY_MISMATCH_TEXT)
    expect(events.filter(has_text="認証キー不一致")).to_have_count(1, timeout=TIMEOUT_MS)

    # The facilitator's note, by keyboard only: n, the text, Alt+3 (quote), Enter.
    fac.locator("h1").click()  # the page has focus, not a field
    fac.keyboard.press("n")
    expect(fac.locator("#note-text")).to_be_focused()
    fac.keyboard.type(NOTE_TEXT)
    fac.keyboard.press("Alt+3")
    expect(fac.locator("#tag-quote")).to_be_checked()
    fac.keyboard.press("Enter")
    expect(fac.locator("#note-status")).to_have_text("メモを追加しました", timeout=TIMEOUT_MS)
    expect(fac.locator("#note-text")).to_have_value("")
    expect(events.filter(has_text=NOTE_TEXT)).to_have_count(1, timeout=TIMEOUT_MS)
    shot(fac, "facilitator-mid-task-1280.png")

    # The right key: done.
    fill_reset(phone, key)
    wait_path(phone, "/v2/password-reset-done.html", step="完了 with the mailed key")
    expect(fac.locator("#live-page")).to_contain_text("password-reset-done.html", timeout=TIMEOUT_MS)
    expect(events.filter(has_text="パスワード再登録完了")).to_have_count(1, timeout=TIMEOUT_MS)
    assert navigations == [], f"the console reloaded or navigated while the task ran: {navigations}"

    # できた → the SEQ → 6 → 回答する.
    with phone.expect_navigation():
        phone.locator("#kenshu-study").get_by_role("button", name="できた", exact=True).click()
    wait_path(phone, "/study", step="できた")
    answers = phone.locator('input[type="radio"][name="answer"]')
    expect(answers).to_have_count(7)
    phone.get_by_role("radio", name="6", exact=True).check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="回答する", exact=True).click()
    wait_path(phone, "/study", step="回答する")
    expect(phone.get_by_role("heading", name="次の課題をお待ちください")).to_be_visible()

    # attempts.csv: one forgot-password attempt of P01, a direct success (the path is the task's
    # expected one; the mailbox is a tool page and not a step), 1 misclick, the one key error, SEQ 6.
    text = console.get("/facilitator/attempts.csv")
    keep("attempts.csv", text)
    rows = csv_rows(text)
    assert list(rows[0].keys())[:7] == ["participant", "task", "outcome", "seconds", "misclicks", "errors", "seq"], text
    mine = [r for r in rows if r["participant"] == person["id"] and r["task"] == TASK]
    assert len(mine) == 1, f"expected one {TASK} row for {person['id']}:\n{text}"
    row = mine[0]
    assert row["outcome"] == "direct_success", f"{row}\n(path {row.get('path')!r}, expected {EXPECTED_PATH!r})"
    assert row["automatic_outcome"] == "direct_success", row
    assert row["path"] == EXPECTED_PATH, row
    assert row["misclicks"] == "1", row
    assert row["errors"] == "1" and row["error_kinds"] == "key_mismatch=1", row
    assert row["seq"] == "6", row
    assert float(row["seconds"]) > 0, row

    # The log behind it: one non-interactive click, one key_mismatch, the note with its tag.
    keep("events.json", console.get("/facilitator/events.json"))
    logged = console.events_of(person["id"])
    attempt = row["attempt"]
    in_attempt = [e for e in logged if e.get("attempt") == attempt]
    misclicks = [e for e in in_attempt if e["type"] == "click" and not e.get("interactive")]
    assert [e.get("element") for e in misclicks] == ["p.lead"], misclicks
    assert [e["type"] for e in in_attempt].count("key_mismatch") == 1, in_attempt
    notes = [e for e in in_attempt if e["type"] == "note"]
    assert len(notes) == 1 and notes[0].get("text") == NOTE_TEXT and notes[0].get("tag") == "quote", notes

    # The report: the task's section with the key error, the misclick, the note.
    report = console.get("/facilitator/report")
    keep("report.html", report)
    section = re.search(r'(?s)<section class="task" id="task-forgot-password">(.*?)</section>', report)
    assert section, "no section for forgot-password in /facilitator/report"
    assert "<code>key_mismatch</code>" in section.group(1), section.group(1)
    assert re.search(r"ミスクリック率</th><td[^>]*>[^<]*（1 / \d+）", section.group(1)), section.group(1)
    assert "1 / 1 =" in section.group(1), "success rate is not 1 / 1:\n" + section.group(1)
    assert NOTE_TEXT in report

    # Nothing typed is kept: not the new password, not the wrong key, and the right key only in the mail.
    secrets_typed = [NEW_PASSWORD, urllib.parse.quote(NEW_PASSWORD, safe=""), wrong]
    check_data_dir(server.data, secrets_typed, key, when="while the server runs")
    code = server.stop()
    assert code == 0, f"kenshu serve exit status on SIGTERM: {code}\n{server.log_tail()}"
    check_data_dir(server.data, secrets_typed, key, when="after the server stopped")


def key_from_mailbox(phone: Page) -> str:
    bar = phone.locator("#kenshu-study")
    bar.locator("summary").click()
    link = bar.get_by_role("link", name="メールボックスを開く", exact=True)
    expect(link).to_be_visible()
    with phone.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert path_of(tab) == "/mailbox", f"the bar's mailbox link opened {tab.url}"
    item = tab.locator("ul.mb-list li a").filter(has_text=RESET_SUBJECT)
    try:
        expect(item).to_have_count(1, timeout=TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"no single {RESET_SUBJECT} in the participant's mailbox: {said(tab)}")
    with tab.expect_navigation():
        item.click()
    value = tab.locator(".mb-key-value")
    expect(value).to_have_count(1)
    key = value.inner_text().strip()
    assert re.fullmatch(r"[0-9A-Za-z]{4,}", key), f"odd 認証キー {key!r}"
    tab.close()
    phone.bring_to_front()
    bar.locator("summary").click()  # close the prompt again
    return key


def fill_reset(phone: Page, key: str) -> None:
    phone.get_by_label("新しいパスワード", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("新しいパスワード（確認用）", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("認証キー", exact=True).fill(key)
    with phone.expect_navigation():
        phone.get_by_role("button", name="完了", exact=True).click()


def check_data_dir(data: Path, typed: list[str], key: str, *, when: str) -> None:
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())
    assert any(f.startswith("mail/") for f in files) and "studies.sqlite" in files and "accounts.sqlite" in files, files
    found = files_holding(data, typed)
    assert not found, f"{when}: what the participant typed is stored in {data}:\n" + "\n".join(found)
    in_mail = files_holding(data / "mail", [key])
    assert in_mail, f"the 認証キー {key} is not in the (decoded) mail: is the search blind? files: {files}"
    outside = files_holding(data, [key], skip=data / "mail")
    assert not outside, f"{when}: the 認証キー is stored outside the mail:\n" + "\n".join(outside)


def started_participant(fac_context: BrowserContext, phone_ctx: BrowserContext, server: "StudyServer") -> tuple["Console", dict, Page]:
    """A new participant from the console, the task prepared, joined and started on the phone:
    the phone shows the task's first page."""
    console = Console(fac_context.new_page(), server)
    person = console.create_participant()
    console.prepare(TASK)
    phone = phone_ctx.new_page()
    join_and_start(phone, person["join"])
    wait_path(phone, "/v2/login.html", step="開始")
    return console, person, phone


# --------------------------------------------------------------------------- 2. a restart


def test_restart_mid_task_loses_no_event(server: StudyServer, browser: Browser):
    fac_context, phone_ctx = facilitator_context(browser), phone_context(browser)
    try:
        console, person, phone = started_participant(fac_context, phone_ctx, server)
        attempt = phone.locator("#kenshu-study").get_attribute("data-attempt")
        assert attempt and attempt.startswith(person["id"] + "-"), attempt

        # Elements that neither navigate nor submit, and what study.js calls them.
        targets = [("main p.lead", "p.lead"), ("main h1", "h1"), ("#login-id", "input#login-id"),
                   ("#withdrawn-recent", "h2#withdrawn-recent"), ("#login-password", "input#login-password")]
        made: list[str] = []

        def click(n: int) -> None:
            for i in range(n):
                selector, described = targets[(len(made)) % len(targets)]
                phone.locator(selector).click()
                made.append(described)

        def stored_clicks() -> list[dict]:
            return [e for e in console.events_of(person["id"]) if e["type"] == "click"]

        click(4)
        wait_until(lambda: len(stored_clicks()) == 4, what="the first 4 clicks stored", timeout=10)
        navigations: list[str] = []
        phone.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == phone.main_frame else None)

        code = server.stop()
        assert code == 0, f"kenshu serve exit status on SIGTERM: {code}\n{server.log_tail()}"
        click(3)  # the server is down: study.js keeps them
        phone.wait_for_timeout(1500)
        click(2)
        server.start()
        assert navigations == [], f"the participant's page navigated during the restart: {navigations}"
        click(3)

        wait_until(lambda: len(stored_clicks()) >= len(made), what=f"all {len(made)} clicks stored", timeout=20)
        phone.wait_for_timeout(3000)  # any late resend would show now
        logged = console.events_of(person["id"])
        seqs = [e["seq"] for e in logged]
        assert seqs == list(range(1, len(logged) + 1)), f"seq has a gap or a repeat: {seqs}"
        clicks = [e for e in logged if e["type"] == "click"]
        assert [c.get("element") for c in clicks] == made, (
            f"clicks made {len(made)}: {made}\nclicks stored {len(clicks)}: {[c.get('element') for c in clicks]}")
        assert all(c.get("attempt") == attempt for c in clicks), clicks
        assert all(c.get("page") in ("/v2/login.html", "v2/login.html") for c in clicks), clicks
        assert navigations == [] and phone.locator("#kenshu-study").is_visible(), navigations
    finally:
        fac_context.close()
        phone_ctx.close()


def wait_until(predicate, *, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.25)


# --------------------------------------------------------------------------- 3. the bar's place


COVERED = """() => {
  const found = [];
  let checked = 0;
  for (const el of document.querySelectorAll("a, button, input")) {
    if (el.type === "hidden") continue;
    // Not shown: display none, visibility hidden, or inside a closed <details> (content-visibility).
    if (!el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    el.scrollIntoView({block: "center", inline: "center"});
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    checked += 1;
    const name = (el.getAttribute("aria-label") || el.textContent || el.name || el.id || "").trim().slice(0, 40);
    const describe = (n) => n ? n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") +
      (n.className && typeof n.className === "string" ? "." + n.className.trim().split(/\\s+/).join(".") : "") : "nothing";
    if (!(hit === el || el.contains(hit))) {
      found.push(describe(el) + " '" + name + "' at (" + Math.round(x) + ", " + Math.round(y) + ") is under " + describe(hit));
    }
  }
  window.scrollTo(0, 0);
  return {checked, found};
}"""


def test_task_bar_only_for_participants_and_covers_nothing(server: StudyServer, browser: Browser):
    # Not a participant: no bar, not even its stylesheet or script.
    status, html = http_get(server.base + "/v2/login.html")
    assert status == 200 and 'name="csrf_token"' in html
    assert "kenshu-study" not in html
    stranger = phone_context(browser)
    try:
        page = stranger.new_page()
        page.goto(server.base + "/v2/login.html")
        expect(page.get_by_role("heading", name="求職者マイページログイン")).to_be_visible()
        expect(page.locator("#kenshu-study")).to_have_count(0)
        expect(page.locator('script[src*="/study/"], link[href*="/study/"]')).to_have_count(0)
    finally:
        stranger.close()
    for root in (OUTPUT, server.output):
        holding = [p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and b"kenshu-study" in p.read_bytes()]
        assert not holding, f"the study bar is in files of {root}: {holding}"

    fac_context, phone_ctx = facilitator_context(browser), phone_context(browser)
    try:
        console, person, phone = started_participant(fac_context, phone_ctx, server)
        bar = phone.locator("#kenshu-study")
        expect(bar).to_be_visible()
        box = bar.bounding_box()
        assert box and box["y"] == 0 and box["width"] >= 389, f"the bar is not across the top: {box}"
        assert phone.evaluate("getComputedStyle(document.getElementById('kenshu-study')).position") == "static"
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways at 390 px with the bar: {width}px"
        # The login page alone has 15+ visible links, buttons and fields; the bar adds 2 (closed) or 3.
        closed = phone.evaluate(COVERED)
        assert closed["checked"] >= 17, closed
        assert not closed["found"], "controls of /v2/login.html are not the element at their centre:\n" + "\n".join(closed["found"])
        # Opened, the prompt pushes the page down, still covering nothing.
        bar.locator("summary").click()
        expect(bar.get_by_role("link", name="メールボックスを開く")).to_be_visible()
        opened = phone.evaluate(COVERED)
        assert opened["checked"] == closed["checked"] + 1, (closed, opened)
        assert not opened["found"], "with the prompt open:\n" + "\n".join(opened["found"])
    finally:
        fac_context.close()
        phone_ctx.close()
