"""The served flows in a real browser: `kenshu serve` renders the flow pages live, and a
participant logs in, locks the account with five wrong passwords, resets the password with the
認証キー from the mail, re-registers a withdrawn account, logs out, and links Myna Portal.

Every flow runs at PC (1280 px) and smartphone (390 px) width. Fields are found by their label
and buttons and links by their visible name, as a participant finds them. The 認証キー is read
from the mail sink's Mailpit-compatible API on the same port, as a facilitator would read it in
the inbox. One server serves the whole module (temp --data and --output, so the repository's
Output/ and .kenshu/ stay untouched); before a test, whenever an earlier one may have changed
something, the trainer console's すべて初期状態に戻す puts accounts, locks, keys, links, sessions
and the clock back to the fixtures, so every test starts from them. Screenshots of the error,
lock and trainer screens go to test-results/flows/.

The binary is $KENSHU (default .build/debug/kenshu, relative to the repository), so a build in
another scratch path can be tested: KENSHU=.build-flows/debug/kenshu pytest e2e/test_flows.py
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from axe_playwright_python.sync_playwright import Axe

from conftest import (REPO, axe_blocking, axe_report, click_control, describe_controls, expect_heading, find_control,
                      new_page, visible, vnu_errors_in)

KENSHU = Path(os.environ.get("KENSHU", ".build/debug/kenshu"))
if not KENSHU.is_absolute():
    KENSHU = REPO / KENSHU
EDITION = "v2"
SHOTS = REPO / "test-results" / "flows"
WIDTHS = ["pc", "sp"]
JST = timezone(timedelta(hours=9))

ASU = "asu.yuki@example.jp"
RECENT = "taikai.recent@example.jp"  # withdrew 10 days ago: may re-register
OLD = "taikai.old@example.jp"  # withdrew 45 days ago: must contact HelloWork
PASSWORD = "Hello#Work2021"
NEW_PASSWORD = "Kenshu#2024new"
SENDER = "system@mail.hellowork.mhlw.go.jp"
RESET_SUBJECT = "パスワード再登録申込受付通知"
REREG_SUBJECT = "アカウント再登録申込受付通知"

ID_LABEL = "ID（メールアドレス）"
PIN_LABEL = "利用者証明用電子証明書のパスワード（数字4桁・模擬）"
HELLOWORK_SITE = "厚生労働省 ハローワークインターネットサービス"
USE_HELLOWORK = "厚生労働省 ハローワークインターネットサービスを利用する"

# site.yaml live.messages: what a participant reads.
MSG = {
    "login_rejected": "IDまたはパスワードが正しくありません。IDとパスワードを確認して、再度入力してください。",
    "too_short": "パスワードは8桁以上で入力してください。",
    "too_long": "パスワードは32桁以内で入力してください。",
    "not_half_width": "パスワードは半角の英字、数字、記号で入力してください（全角文字・空白は使えません）。",
    "missing_symbol": "パスワードには半角記号を含めてください。",
    "mismatch": "「新しいパスワード」と「新しいパスワード（確認用）」が一致しません。",
    "key_mismatch": "認証キーが正しくありません。メールに記載の認証キーを入力してください。",
    "key_expired": "認証キーの有効期限（メール配信から50分）が切れています。",
    "key_used": "この認証キーは既に使用されています。",
    "too_late": "マイページ退会後31日以上が経過しているため、アカウントを再登録できません。",
    "pin_invalid": "数字4桁で入力してください。",
}


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `kenshu serve` on a fixed port; `restart()` keeps its --data (accounts.sqlite, mail)."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.output = root / "output"
        self.log = root / "server.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.dirty = True  # may differ from the fixtures (see fresh_state)

    def start(self, *, reset_state: bool = False) -> None:
        if not KENSHU.exists():
            pytest.fail(f"{KENSHU} is missing: run `swift build --product kenshu` (or set KENSHU)")
        args = [str(KENSHU), "serve", "--content", str(REPO / "Content"), "--output", str(self.output),
                "--port", str(self.port), "--smtp-port", "0", "--data", str(self.data)]
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
                html = urllib.request.urlopen(self.base + f"/{EDITION}/login.html", timeout=2).read().decode()
                if 'name="csrf_token"' not in html:
                    pytest.fail(f"kenshu serve runs, but the login page is not served live:\n{self.log_tail()}")
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"kenshu serve did not answer within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def restart(self, *, reset_state: bool = False) -> None:
        self.stop()
        self.start(reset_state=reset_state)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def url(self, rel: str) -> str:
        return f"{self.base}/{EDITION}/{rel}"

    # -- the mail sink's API

    def api(self, path: str) -> dict:
        with urllib.request.urlopen(self.base + path, timeout=5) as response:
            return json.loads(response.read().decode())

    def mail_ids(self) -> set[str]:
        return {m["ID"] for m in self.api("/api/v1/messages?limit=500")["messages"]}

    def mail_total(self) -> int:
        return self.api("/api/v1/messages?limit=1")["total"]

    def new_mail(self, before: set[str], *, to: str, subject: str, timeout: float = 5) -> dict:
        """The newest message to `to` with `subject` that was not there `before`."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            listing = self.api("/api/v1/messages?limit=50")["messages"]
            seen = [(m["Subject"], [a["Address"] for a in m["To"]]) for m in listing if m["ID"] not in before]
            for summary in listing:  # newest first
                if summary["ID"] in before:
                    continue
                if summary["Subject"] == subject and any(a["Address"] == to for a in summary["To"]):
                    return self.api(f"/api/v1/message/{summary['ID']}")
            if time.monotonic() > deadline:
                pytest.fail(f"no new mail {subject!r} to {to} within {timeout} s; new mails: {seen}")
            time.sleep(0.1)

    def key_from_mail(self, before: set[str], *, to: str, subject: str) -> str:
        message = self.new_mail(before, to=to, subject=subject)
        assert message["From"]["Address"] == SENDER, f"key mail from {message['From']}, expected {SENDER}"
        found = re.search(r"認証キー：\s*([0-9A-Za-z]+)", message["Text"])
        assert found, f"no 認証キー：XXXX line in the mail:\n{message['Text']}"
        return found.group(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("kenshu-flows"))
    srv.start(reset_state=True)
    srv.dirty = False
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def console(server, browser):
    """A browser of the facilitator's own with the trainer console, for すべて初期状態に戻す."""
    page = new_page(browser, "pc")
    yield page
    page.context.close()


def trainer_reset(server: Server, page: Page) -> None:
    page.goto(server.base + "/trainer")
    with page.expect_navigation():
        page.get_by_role("button", name="すべて初期状態に戻す", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("すべて初期状態に戻しました。")


def keeps_state(test):
    """Marks a test that changes no account, lock, key, link, session or the clock, so the next
    test needs no reset after it (a reset re-hashes every fixture password: seconds each)."""
    test.keeps_state = True
    return test


@pytest.fixture(autouse=True)
def fresh_state(request, server, console):
    """Before every test the state is the fixtures': reset through the trainer console's
    すべて初期状態に戻す whenever an earlier test may have changed it."""
    if server.process is None or server.process.poll() is not None:
        server.start()  # a failed restart in an earlier test
    if server.dirty:
        trainer_reset(server, console)
    server.dirty = not getattr(request.function, "keeps_state", False)
    yield


# --------------------------------------------------------------------------- participant


class Participant:
    """One browser (context) at one width, driving the served site."""

    def __init__(self, server: Server, page: Page, viewport: str):
        self.server = server
        self.page = page
        self.viewport = viewport

    @property
    def context(self) -> BrowserContext:
        return self.page.context

    @property
    def where(self) -> str:
        return urllib.parse.urlparse(self.page.url).path

    def goto(self, rel: str) -> "Participant":
        self.page.goto(self.server.url(rel))
        return self

    def at(self, rel: str, heading: str | None = None, *, why: str = "") -> "Participant":
        """The browser shows /v2/<rel> (with `heading` as a visible heading)."""
        suffix = f"/{EDITION}/{rel}"
        try:
            self.page.wait_for_url(lambda u: urllib.parse.urlparse(u).path == suffix, timeout=10_000)
        except Exception:  # noqa: BLE001 - report where we are instead
            body = " ".join(self.page.locator("body").inner_text().split())[:400]
            pytest.fail(f"{why or 'navigation'}: expected {suffix}, still at {self.where}; page says: {body}")
        self.page.wait_for_load_state()
        if heading is not None:
            self.expect_heading(heading)
        return self

    def expect_heading(self, name: str) -> None:
        expect_heading(self.page, self.where, name)

    def fill(self, label: str, value: str) -> "Participant":
        found = visible(self.page.get_by_label(label, exact=True))
        if not found:
            labels = self.page.locator("label").all_inner_texts()
            pytest.fail(f"{self.where}: no visible field labelled {label!r}; labels: {labels}")
        found[0].fill(value)
        return self

    def press(self, name: str, *, scope=None) -> "Participant":
        """Click the visible button or link named `name` and wait for the next page (a POST that
        fails renders the same URL again, so this waits for a navigation, not a URL)."""
        with self.page.expect_navigation():
            click_control(self.page, name, scope=scope)
        self.page.wait_for_load_state()
        return self

    def field(self, label: str):
        return self.page.get_by_label(label, exact=True)

    def expect_field_error(self, label: str, text: str) -> None:
        """`text` is shown beside the field: visible, and the field's accessible description."""
        expect(self.page.get_by_text(text).first).to_be_visible()
        expect(self.field(label)).to_have_attribute("aria-invalid", "true")
        expect(self.field(label)).to_have_accessible_description(re.compile(re.escape(text)))

    def expect_no_field_error(self, label: str) -> None:
        expect(self.field(label)).not_to_have_attribute("aria-invalid", "true")

    def expect_alert(self, text: str) -> None:
        expect(self.page.get_by_role("alert").filter(has_text=text).first).to_be_visible()

    def shows(self, text: str) -> bool:
        return bool(visible(self.page.get_by_text(text)))

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}-{self.viewport}.png"), full_page=True)

    # -- HelloWork

    def log_in(self, email: str = ASU, password: str = PASSWORD) -> "Participant":
        self.goto("login.html")
        self.fill(ID_LABEL, email).fill("パスワード", password)
        return self.press("ログイン")

    def expect_home(self, name: str = "明日 勇気") -> None:
        self.at("home.html", "求職者マイページホーム")
        expect(self.page.get_by_text(f"{name}様", exact=True).first).to_be_visible()

    def log_out(self) -> "Participant":
        """PC: the header's ログアウト button. Smartphone: ☰ メニュー, then ログアウト inside it."""
        menu = find_control(self.page, "メニュー", roles=())
        if self.viewport == "pc":
            assert menu is None, f"{self.where} at 1280 px: the ☰ メニュー should not be visible"
        else:
            assert find_control(self.page, "ログアウト") is None, (
                f"{self.where} at 390 px: ログアウト should be inside the ☰ メニュー, not visible before it opens")
            if menu is None:
                pytest.fail(f"{self.where}: no ☰ メニュー; visible controls: {describe_controls(self.page)}")
            menu.click()
        self.press("ログアウト")
        return self.at("index.html", why="ログアウト")

    def start_reset(self, email: str = ASU) -> "Participant":
        self.goto("login.html")
        self.press("パスワードをお忘れの方").at("password-reset.html", "求職者マイページパスワード再登録")
        self.fill(ID_LABEL, email)
        self.press("次へ進む").at("password-reset-key.html", "パスワード再登録", why="次へ進む")
        return self

    def submit_reset(self, password: str, confirmation: str, key: str) -> "Participant":
        self.fill("新しいパスワード", password).fill("新しいパスワード（確認用）", confirmation).fill("認証キー", key)
        return self.press("完了")

    # -- Myna Portal

    def myna_log_in(self) -> "Participant":
        self.goto("mynaportal/login.html")
        self.fill(PIN_LABEL, "1234")
        return self.press("ログイン").at("mynaportal/index.html", "マイナポータル", why="マイナポータル ログイン")

    def myna_link(self) -> "Participant":
        """もっとつながる → つなぐ (ハローワーク) → 同意 → 属性連携認証 → つながり完了."""
        self.press("もっとつながる").at("mynaportal/connections.html", "もっとつながる")
        unlinked = self.page.get_by_role("region", name="つながっていないウェブサイト")
        row = unlinked.get_by_role("row").filter(has=self.page.get_by_role("rowheader", name=HELLOWORK_SITE, exact=True))
        expect(row).to_have_count(1)
        self.press("つなぐ", scope=row).at("mynaportal/consent.html", "同意確認")
        self.press("同意").at("link-auth.html", "マイページ属性連携認証")
        self.fill(ID_LABEL, ASU).fill("パスワード", PASSWORD)
        return self.press("同意").at("mynaportal/connected.html", "つながり完了", why="属性連携認証 → 同意")

    def linked_row(self):
        linked = self.page.get_by_role("region", name="つながっているウェブサイト")
        return linked.get_by_role("row").filter(has=self.page.get_by_role("rowheader", name=HELLOWORK_SITE))


@pytest.fixture(params=WIDTHS)
def who(request, server, browser):
    page = new_page(browser, request.param)
    yield Participant(server, page, request.param)
    page.context.close()


def expect_cookie_flags(context: BrowserContext, *must_have: str) -> None:
    """Every kenshu_* cookie the browser holds is HttpOnly and SameSite=Lax; `must_have` are held."""
    cookies = [c for c in context.cookies() if c["name"].startswith("kenshu_")]
    missing = set(must_have) - {c["name"] for c in cookies}
    assert not missing, f"the browser holds no {sorted(missing)} cookie; it holds {[c['name'] for c in cookies]}"
    wrong = [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies if not c["httpOnly"] or c["sameSite"] != "Lax"]
    assert not wrong, f"cookies not HttpOnly + SameSite=Lax: {wrong}"


def expect_valid_and_accessible(page: Page, name: str, viewport: str) -> None:
    """A page only the server renders (errors, trainer console) has no serious axe violation at
    this width, and its HTML passes the Nu HTML Checker (checked once, at PC width)."""
    blocking = axe_blocking(Axe(), page)
    assert not blocking, f"{name} at {viewport}: axe violations\n{axe_report(blocking)}"
    if viewport == "pc":
        errors = vnu_errors_in(page.content(), f"{name}.html")
        assert not errors, "\n".join(errors)


class Trainer:
    """The trainer console in its own tab of the participant's browser."""

    def __init__(self, server: Server, context: BrowserContext):
        self.server = server
        self.page = context.new_page()
        self.page.goto(server.base + "/trainer")

    def row(self, email: str):
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("rowheader", name=email, exact=True))

    def press(self, name: str, *, scope=None, notice: str) -> None:
        with self.page.expect_navigation():
            (scope or self.page).get_by_role("button", name=name, exact=True).click()
        expect(self.page.get_by_role("status")).to_contain_text(notice)

    def advance(self, minutes: int) -> None:
        self.page.get_by_label("進める分数", exact=True).fill(str(minutes))
        self.press("時計を進める", notice="時計を進めました。")

    def close(self) -> None:
        self.page.close()


# --------------------------------------------------------------------------- 1. login


def test_login_and_wrong_password(who):
    p = who
    p.goto("index.html").press("ログイン（求職者マイページ）").at("login.html", "求職者マイページログイン")
    p.fill(ID_LABEL, ASU).fill("パスワード", "Wrong#Pass1")
    p.press("ログイン").at("login.html", "求職者マイページログイン", why="wrong password")
    p.expect_alert(MSG["login_rejected"])
    expect(p.field(ID_LABEL)).to_have_value(ASU)
    expect(p.field("パスワード")).to_have_value("")
    p.shot("login-error")

    p.fill("パスワード", PASSWORD).press("ログイン")
    p.expect_home()
    # The first sign-in after the fixtures shows the fixture's previous sign-in.
    expect(p.page.get_by_text("前回のログイン日時").first).to_contain_text("2021年09月21日 10時00分")
    first_login = datetime.now(JST)

    # The second sign-in shows the first one as 前回のログイン日時.
    p.log_out()
    p.log_in().expect_home()
    stamps = {(first_login + timedelta(minutes=d)).strftime("%Y年%m月%d日 %H時%M分") for d in (-1, 0, 1)}
    text = p.page.get_by_text("前回のログイン日時").first.inner_text()
    assert any(s in text for s in stamps), f"after a second sign-in, expected the first one ({first_login:%H:%M}) in {text!r}"
    expect_cookie_flags(p.context, "kenshu_session", "kenshu_csrf")


# --------------------------------------------------------------------------- 2. lock


def test_five_wrong_passwords_lock_until_trainer_unlocks(who, server):
    p = who
    p.goto("login.html")
    for attempt in range(1, 5):
        p.fill(ID_LABEL, ASU).fill("パスワード", f"Wrong#Pass{attempt}")
        p.press("ログイン").at("login.html", why=f"wrong password #{attempt}")
        p.expect_alert(MSG["login_rejected"])
    p.fill(ID_LABEL, ASU).fill("パスワード", "Wrong#Pass5")
    p.press("ログイン").at("locked.html", "アカウントロック", why="the 5th wrong password")
    expect(p.page.get_by_text("パスワードの入力を5回誤ったため").first).to_be_visible()
    p.shot("locked")

    # The right password does not open a locked account.
    p.log_in().at("locked.html", "アカウントロック", why="the right password on a locked account")

    trainer = Trainer(server, p.context)
    row = trainer.row(ASU)
    expect(row).to_contain_text("ロック中")
    SHOTS.mkdir(parents=True, exist_ok=True)
    trainer.page.screenshot(path=str(SHOTS / f"trainer-locked-{p.viewport}.png"), full_page=True)
    unlock = row.get_by_role("button", name="ロック解除", exact=True)
    if p.viewport == "pc":  # one line, not ロック解 / 除
        assert unlock.evaluate("b => b.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(b).lineHeight)")
    else:  # stacked cells name their column
        labels = row.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert '"状態"' in labels and '"操作"' in labels, labels
    expect_valid_and_accessible(trainer.page, "trainer-locked", p.viewport)
    trainer.press("ロック解除", scope=row, notice="ロックを解除しました。")
    expect(trainer.row(ASU)).not_to_contain_text("ロック中")
    expect(trainer.row(ASU)).to_contain_text("有効")
    trainer.close()

    p.log_in().expect_home()


def test_password_reset_unlocks_a_locked_account(who, server):
    """The lock screen's advice: 「パスワードをお忘れの方」 and a new password unlock the account."""
    p = who
    p.goto("login.html")
    for attempt in range(1, 6):
        p.fill(ID_LABEL, ASU).fill("パスワード", f"Wrong#Pass{attempt}").press("ログイン")
    p.at("locked.html", "アカウントロック", why="5 wrong passwords")
    before = server.mail_ids()
    p.press("パスワードをお忘れの方").at("password-reset.html", "求職者マイページパスワード再登録")
    p.fill(ID_LABEL, ASU).press("次へ進む").at("password-reset-key.html", "パスワード再登録")
    key = server.key_from_mail(before, to=ASU, subject=RESET_SUBJECT)
    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD, key).at("password-reset-done.html", "パスワード再登録完了")
    p.log_in(ASU, NEW_PASSWORD).expect_home()


# --------------------------------------------------------------------------- 3. password reset


def test_password_reset(who, server):
    p = who
    before = server.mail_ids()
    p.start_reset()
    expect(p.page.get_by_text("「パスワード再登録」画面を閉じないでください").first).to_be_visible()
    expect_cookie_flags(p.context, "kenshu_reset", "kenshu_csrf")
    key = server.key_from_mail(before, to=ASU, subject=RESET_SUBJECT)
    wrong_key = "ZZZZ9999" if key != "ZZZZ9999" else "YYYY8888"

    # Everything wrong at once: every message beside its own field.
    p.submit_reset("Ab1#xyz", "Ab1#xyy", wrong_key).at("password-reset-key.html", "パスワード再登録")
    p.expect_field_error("新しいパスワード", MSG["too_short"])
    p.expect_field_error("新しいパスワード（確認用）", MSG["mismatch"])
    p.expect_field_error("認証キー", MSG["key_mismatch"])
    # The summary at the top is on the first screen, also on a phone, and leads to each field.
    summary = p.page.get_by_role("alert").filter(has_text="入力内容に誤りがあります")
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("listitem")).to_have_count(3)
    summary.get_by_role("link", name="認証キー", exact=True).click()
    expect(p.field("認証キー")).to_be_focused()
    p.page.evaluate("window.scrollTo(0, 0)")
    p.shot("reset-key-errors")
    expect_valid_and_accessible(p.page, "reset-key-errors", p.viewport)

    # A wrong key alone.
    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD, wrong_key).at("password-reset-key.html")
    p.expect_field_error("認証キー", MSG["key_mismatch"])
    p.expect_no_field_error("新しいパスワード")
    p.expect_no_field_error("新しいパスワード（確認用）")

    # The policy: half-width digits, letters and symbols, 8 to 32 characters.
    for password, code in [
        ("Ab1#xyz", "too_short"),  # 7
        ("Ab1#" + "x" * 29, "too_long"),  # 33
        ("Abcd12345", "missing_symbol"),
        ("Ａｂｃｄ１２３＃", "not_half_width"),
    ]:
        p.submit_reset(password, password, key).at("password-reset-key.html", why=f"policy {code}")
        p.expect_field_error("新しいパスワード", MSG[code])
        p.expect_no_field_error("認証キー")
    # 8 and 32 characters are accepted by the policy (only the mismatch is reported).
    for password in ("Ab1#wxyz", "Ab1#" + "x" * 28):
        p.submit_reset(password, password + "?", key).at("password-reset-key.html")
        p.expect_no_field_error("新しいパスワード")
        p.expect_field_error("新しいパスワード（確認用）", MSG["mismatch"])

    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD + "x", key).at("password-reset-key.html")
    p.expect_field_error("新しいパスワード（確認用）", MSG["mismatch"])
    p.expect_no_field_error("認証キー")

    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD, key).at("password-reset-done.html", "パスワード再登録完了", why="完了")
    p.press("ログイン画面へ").at("login.html", "求職者マイページログイン")
    p.fill(ID_LABEL, ASU).fill("パスワード", PASSWORD).press("ログイン").at("login.html", why="the old password")
    p.expect_alert(MSG["login_rejected"])
    p.fill("パスワード", NEW_PASSWORD).press("ログイン")
    p.expect_home()

    # The used key, in a new request of the same account, says it was used.
    p.log_out()
    p.start_reset()
    p.submit_reset("Another#Pass2", "Another#Pass2", key).at("password-reset-key.html", why="a used key")
    p.expect_field_error("認証キー", MSG["key_used"])


def test_password_reset_key_expires_after_50_minutes(who, server):
    p = who
    before = server.mail_ids()
    p.start_reset()
    key = server.key_from_mail(before, to=ASU, subject=RESET_SUBJECT)
    trainer = Trainer(server, p.context)
    # 49 minutes after the mail the key still counts (only the confirmation is wrong) ...
    trainer.advance(49)
    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD + "x", key).at("password-reset-key.html")
    p.expect_field_error("新しいパスワード（確認用）", MSG["mismatch"])
    p.expect_no_field_error("認証キー")
    # ... 51 minutes after it, it has expired.
    trainer.advance(2)
    trainer.close()
    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD, key).at("password-reset-key.html", why="an expired key")
    p.expect_field_error("認証キー", MSG["key_expired"])
    # the password did not change
    p.log_in().expect_home()


@keeps_state
def test_password_reset_unknown_id_looks_the_same_and_sends_nothing(who, server):
    p = who
    total = server.mail_total()
    p.start_reset("nobody.here@example.jp")
    expect(p.field("認証キー")).to_be_visible()
    time.sleep(0.5)
    assert server.mail_total() == total, "a reset for an unknown ID sent a mail"
    p.submit_reset(NEW_PASSWORD, NEW_PASSWORD, "ABCD1234").at("password-reset-key.html")
    p.expect_field_error("認証キー", MSG["key_mismatch"])


# --------------------------------------------------------------------------- 4. re-registration


def test_reregistration_within_30_days(who, server):
    p = who
    # A withdrawn account cannot sign in before it is re-registered.
    p.log_in(RECENT).at("login.html", why="withdrawn account")
    p.expect_alert(MSG["login_rejected"])

    before = server.mail_ids()
    p.press("アカウントを再登録").at("reregister.html", "アカウントを再登録")
    p.fill(ID_LABEL, RECENT).fill("パスワード", PASSWORD)
    p.press("次へ進む").at("reregister-key.html", "認証キー入力", why="次へ進む")
    key = server.key_from_mail(before, to=RECENT, subject=REREG_SUBJECT)
    expect_cookie_flags(p.context, "kenshu_rereg")
    p.fill("認証キー", key).press("完了").at("reregister-done.html", "アカウント再登録完了", why="完了")
    p.press("ログイン画面へ").at("login.html", "求職者マイページログイン")
    p.fill(ID_LABEL, RECENT).fill("パスワード", PASSWORD).press("ログイン")
    p.expect_home("大開 新")


@keeps_state
def test_reregistration_after_31_days_is_refused_without_mail(who, server):
    p = who
    total = server.mail_total()
    p.goto("login.html").press("アカウントを再登録").at("reregister.html", "アカウントを再登録")
    p.fill(ID_LABEL, OLD).fill("パスワード", PASSWORD)
    p.press("次へ進む").at("reregister.html", why="withdrawn 45 days ago")
    p.expect_alert(MSG["too_late"])
    expect(p.field(ID_LABEL)).to_have_value(OLD)
    time.sleep(0.5)
    assert server.mail_total() == total, "a refused re-registration sent a mail"


# --------------------------------------------------------------------------- 5. logout


def test_logout_then_back_does_not_show_mypage(who, server):
    p = who
    p.goto("index.html").press("ログイン（求職者マイページ）").at("login.html")
    p.fill(ID_LABEL, ASU).fill("パスワード", PASSWORD).press("ログイン")
    p.expect_home()
    p.log_out()
    expect(p.page.get_by_role("button", name="ログアウト")).to_have_count(0)

    p.page.go_back()
    p.page.wait_for_load_state()
    assert not p.shows("明日 勇気様"), f"history back after ログアウト shows MyPage content at {p.where}"
    p.page.reload()
    p.page.wait_for_load_state()
    assert not p.shows("明日 勇気様"), f"history back + reload after ログアウト shows MyPage content at {p.where}"
    # The session is gone: MyPage asks for a sign-in.
    p.goto("home.html").at("login.html", "求職者マイページログイン", why="home.html after ログアウト")
    headers = urllib.request.urlopen(server.url("login.html")).headers
    assert "no-store" in (headers.get("Cache-Control") or ""), f"served page Cache-Control: {headers.get('Cache-Control')}"


# --------------------------------------------------------------------------- 6. Myna Portal


def test_myna_portal_link_sso_and_unlink(who):
    p = who
    p.goto("mynaportal/login.html")
    p.fill(PIN_LABEL, "12a").press("ログイン").at("mynaportal/login.html", why="a bad PIN")
    p.expect_field_error(PIN_LABEL, MSG["pin_invalid"])
    p.myna_log_in()
    p.myna_link()
    p.press(USE_HELLOWORK)
    p.expect_home()
    expect_cookie_flags(p.context, "kenshu_myna", "kenshu_session")

    # もっとつながる now lists HelloWork as connected.
    p.goto("mynaportal/connections.html").at("mynaportal/connections-linked.html", "もっとつながる")
    expect(p.linked_row()).to_have_count(1)
    expect(p.page.get_by_role("region", name="つながっていないウェブサイト")
           .get_by_role("rowheader", name=HELLOWORK_SITE)).to_have_count(0)

    # Logging out of HelloWork leaves Myna Portal signed in (no single logout) ...
    p.goto("home.html")
    p.expect_home()
    p.log_out()
    p.goto("mynaportal/index.html").at("mynaportal/index.html", "マイナポータル", why="Myna Portal after HelloWork ログアウト")
    expect(p.page.get_by_text("ログイン中", exact=True)).to_be_visible()
    # ... and its name under つながっているウェブサイト signs straight in, no password.
    p.press("もっとつながる").at("mynaportal/connections-linked.html", "もっとつながる")
    p.press(HELLOWORK_SITE, scope=p.linked_row())
    p.expect_home()

    # やめる → つながりの解除 → 同意 → つながりの解除完了.
    p.goto("mynaportal/connections-linked.html")
    p.press("やめる", scope=p.linked_row()).at("mynaportal/unlink.html", "つながりの解除")
    p.press("同意").at("mynaportal/unlinked.html", "つながりの解除完了")
    p.press("もっとつながる一覧へ").at("mynaportal/connections.html", "もっとつながる")
    expect(p.linked_row()).to_have_count(0)

    # SSO without a link: 属性連携不整合確認, whose button starts linking again.
    p.goto("mynaportal/connected.html").press(USE_HELLOWORK).at("link-mismatch.html", "属性連携不整合確認")
    p.press("マイナポータル連携開始").at("mynaportal/consent.html", "同意確認")


# --------------------------------------------------------------------------- 7. HelloWork-side unlink


def test_link_mismatch_after_hellowork_side_unlink(who, server):
    p = who
    p.myna_log_in().myna_link()
    trainer = Trainer(server, p.context)
    row = trainer.row(ASU)
    expect(row).to_contain_text("連携中")
    trainer.press("ハローワーク側の連携を削除", scope=row, notice="ハローワーク側の連携を削除しました。")
    trainer.close()

    # Myna Portal still shows the link ...
    p.goto("mynaportal/index.html").press("もっとつながる").at("mynaportal/connections-linked.html", "もっとつながる")
    expect(p.linked_row()).to_have_count(1)
    # ... but HelloWork no longer trusts it.
    p.press(HELLOWORK_SITE, scope=p.linked_row()).at("link-mismatch.html", "属性連携不整合確認")
    assert not p.shows("明日 勇気様")
    p.press("マイナポータル連携開始").at("mynaportal/consent.html", "同意確認")
    p.press("同意").at("link-auth.html", "マイページ属性連携認証")
    p.fill(ID_LABEL, ASU).fill("パスワード", PASSWORD)
    p.press("同意").at("mynaportal/connected.html", "つながり完了")
    p.press(USE_HELLOWORK)
    p.expect_home()

    # No single logout the other way either: leaving Myna Portal keeps HelloWork signed in.
    p.goto("mynaportal/index.html").press("ログアウト").at("mynaportal/login.html", why="マイナポータル ログアウト")
    p.goto("home.html")
    p.expect_home()
    p.goto("mynaportal/index.html").at("mynaportal/login.html", why="Myna Portal after its ログアウト")


# --------------------------------------------------------------------------- 8. restart


def test_restart_keeps_pending_flows_and_sessions(server, browser):
    """Participants at both widths are in the middle of something when the server restarts
    with the same --data: their browsers (cookies) carry on where they were."""
    people = {name: Participant(server, new_page(browser, width), width)
              for name, width in [("home_pc", "pc"), ("home_sp", "sp"), ("reset_sp", "sp"), ("rereg_pc", "pc")]}
    try:
        people["home_pc"].log_in().expect_home()
        people["home_sp"].log_in().expect_home()

        before = server.mail_ids()
        reset = people["reset_sp"].start_reset()
        reset_key = server.key_from_mail(before, to=ASU, subject=RESET_SUBJECT)

        rereg = people["rereg_pc"].goto("reregister.html")
        rereg.fill(ID_LABEL, RECENT).fill("パスワード", PASSWORD)
        rereg.press("次へ進む").at("reregister-key.html", "認証キー入力")
        rereg_key = server.key_from_mail(before, to=RECENT, subject=REREG_SUBJECT)

        server.restart()

        for who in (people["home_pc"], people["home_sp"]):
            who.page.reload()
            who.expect_home()
        reset.submit_reset(NEW_PASSWORD, NEW_PASSWORD, reset_key).at(
            "password-reset-done.html", "パスワード再登録完了", why="完了 after a server restart")
        rereg.fill("認証キー", rereg_key).press("完了").at(
            "reregister-done.html", "アカウント再登録完了", why="完了 after a server restart")
        reset.log_in(ASU, NEW_PASSWORD).expect_home()
        rereg.log_in(RECENT, PASSWORD).expect_home("大開 新")
    finally:
        for who in people.values():
            who.context.close()


# --------------------------------------------------------------------------- 9. security


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@keeps_state
def test_served_pages_work_under_their_content_security_policy(server, browser):
    """Every page carries a strict policy (only this server's files, no inline script, framed
    only by its own pages): the site's pages, the gallery and its frames, a refusal, the trainer's
    pages run under it without a single violation, and the menu script still works."""
    page = new_page(browser, "sp")
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        for path in ["/", f"/{EDITION}/login.html", f"/{EDITION}/password-reset.html",
                     f"/{EDITION}/mynaportal/login.html", "/mail", "/trainer", "/trainer/join"]:
            response = page.goto(server.base + path)
            assert response is not None and response.ok, path
            policy = response.header_value("content-security-policy") or ""
            assert "default-src" in policy and "'unsafe-eval'" not in policy, (path, policy)
            assert response.header_value("x-content-type-options") == "nosniff", path
            page.wait_for_load_state("load")
        # The gallery's frames are this server's pages: `frame-ancestors 'self'` lets them show.
        page.goto(server.base + "/")
        expect(page.frame_locator("iframe").first.locator("h1").first).to_be_visible()
        page.goto(server.url("login.html"))
        # A refusal (an old form's token) is drawn under the same policy.
        page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => { i.value = 'stale'; })")
        visible(page.get_by_label(ID_LABEL, exact=True))[0].fill(ASU)
        visible(page.get_by_label("パスワード", exact=True))[0].fill(PASSWORD)
        with page.expect_navigation() as navigation:
            visible(page.get_by_role("button", name="ログイン", exact=True))[0].click()
        assert navigation.value.status == 403
        assert "Content-Security-Policy".lower() in {k.lower() for k in navigation.value.headers}
        assert not violations, violations
    finally:
        page.context.close()


@keeps_state
def test_cross_origin_post_without_token_is_refused(server):
    body = urllib.parse.urlencode({"email": ASU, "password": PASSWORD}).encode()
    request = urllib.request.Request(server.url("login.html"), data=body, method="POST", headers={
        "Origin": "http://evil.example", "Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
    assert "kenshu_session" not in (refused.value.headers.get("Set-Cookie") or "")


@keeps_state
def test_cross_site_form_in_the_browser_is_refused(server, browser):
    """A page on another site posts the login form to Kenshu: the browser has Kenshu's CSRF
    cookie (it opened the login page before), but the forged form has no token."""
    page = new_page(browser, "pc")
    try:
        page.goto(server.url("login.html"))
        action = server.url("login.html")
        page.context.route("http://evil.example/**", lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f"""<!doctype html><html lang="ja"><body><form method="post" action="{action}">
                <input name="email" value="{ASU}"><input name="password" value="{PASSWORD}">
                <input name="csrf_token" value="guessed"><button type="submit">送信</button></form></body></html>"""))
        page.goto("http://evil.example/forge.html")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="送信").click()
        assert navigation.value is not None and navigation.value.status == 403
        assert not any(c["name"] == "kenshu_session" for c in page.context.cookies())
    finally:
        page.context.close()


def test_cookies_are_httponly_samesite_lax(server):
    opener = urllib.request.build_opener(NoRedirect)
    response = opener.open(server.url("login.html"), timeout=5)
    html = response.read().decode()
    set_cookies = response.headers.get_all("Set-Cookie") or []
    csrf_cookie = next((c for c in set_cookies if c.startswith("kenshu_csrf=")), None)
    assert csrf_cookie, f"no kenshu_csrf cookie on the login page: {set_cookies}"
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)

    body = urllib.parse.urlencode({"csrf_token": token, "email": ASU, "password": PASSWORD}).encode()
    request = urllib.request.Request(server.url("login.html"), data=body, method="POST", headers={
        "Cookie": csrf_cookie.split(";")[0], "Content-Type": "application/x-www-form-urlencoded"})
    try:
        response = opener.open(request, timeout=5)
        status, headers = response.status, response.headers
    except urllib.error.HTTPError as redirect:  # the 303 is not followed
        status, headers = redirect.code, redirect.headers
    assert status == 303 and headers.get("Location") == f"/{EDITION}/home.html", f"login POST: {status} {headers.get('Location')}"
    set_cookies += headers.get_all("Set-Cookie") or []
    session_cookie = next((c for c in set_cookies if c.startswith("kenshu_session=")), None)
    assert session_cookie, f"no kenshu_session cookie after signing in: {set_cookies}"
    for cookie in (csrf_cookie, session_cookie):
        attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
        assert "httponly" in attributes, f"not HttpOnly: {cookie}"
        assert "samesite=lax" in attributes, f"not SameSite=Lax: {cookie}"


@keeps_state
def test_trainer_console_from_loopback(server, browser):
    with urllib.request.urlopen(server.base + "/trainer", timeout=5) as response:
        assert response.status == 200
        assert "トレーナー画面" in response.read().decode()
    for viewport in WIDTHS:
        page = new_page(browser, viewport)
        try:
            page.goto(server.base + "/trainer")
            expect(page.get_by_role("heading", name="トレーナー画面")).to_be_visible()
            for email in (ASU, RECENT, OLD):
                expect(page.get_by_text(email, exact=True)).to_be_visible()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"trainer-{viewport}.png"), full_page=True)
        finally:
            page.context.close()
