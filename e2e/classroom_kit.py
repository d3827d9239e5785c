"""Classroom mode (issue #14) as the tests and the benchmark drive it, without pytest.

Shared by e2e/test_classroom.py, the namespace helper e2e/classroom_netns.py (run under
`ip netns exec`, where no pytest runs) and bench/classroom_load.py:

- `Http`: one participant's (or the trainer's) own cookie jar over urllib, no proxy; a reply
  says where the redirects ended.
- `Trainer`: the trainer page's forms (`/trainer/class`, its CSRF token from the page and the
  `kenshu_csrf` cookie), the cards (`/trainer/cards`) and the mail API, as the trainer's machine
  (loopback) uses them.
- `Card`: what a printed card says — ID, initial password — and what its two QR codes carry,
  decoded by zbarimg from a rendering of the card's own SVG (so the links come from the QR codes a
  phone would scan, not from the server's internals).
- `HttpParticipant`: the served flows as a scripted phone: log in, lock, request a reset, read
  the 認証キー from its own `/mailbox`, complete the reset. Every step raises `StepFailed` with
  what the page said when it does not land where the manual says.
- `BrowserParticipant`: the same with a real browser page (Playwright), fields by label and
  buttons by name.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar

EDITION = "v2"
ID_LABEL = "ID（メールアドレス）"
RESET_SUBJECT = "パスワード再登録申込受付通知"
SENDER = "system@mail.hellowork.mhlw.go.jp"
KEY_LINE = re.compile(r"認証キー[：:]\s*([0-9A-Za-z]+)")
LOGIN_REJECTED = "IDまたはパスワードが正しくありません。"
PARTICIPANT_COOKIE = "kenshu_participant"
CHROMIUM = os.environ.get("KENSHU_CHROMIUM", "/usr/bin/chromium")


class StepFailed(AssertionError):
    """A step of a flow did not end where the manual says; the message says where it ended."""


# --------------------------------------------------------------------------- HTTP


@dataclass
class Reply:
    status: int
    url: str
    text: str
    headers: dict

    @property
    def path(self) -> str:
        return urllib.parse.urlparse(self.url).path

    def said(self, limit: int = 300) -> str:
        """The page's visible text, roughly (tags and scripts dropped), for failure messages."""
        text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", self.text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        return " ".join(text.split())[:limit]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - urllib hook
        return None


class Http:
    """One browser's worth of cookies over urllib (no proxy, no keep-alive)."""

    def __init__(self, base: str, timeout: float = 120):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.jar = CookieJar()
        handlers = [urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar)]
        self.opener = urllib.request.build_opener(*handlers)
        self.no_redirect = urllib.request.build_opener(*handlers, _NoRedirect())

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def request(self, path: str, form: dict | None = None, *, method: str | None = None,
                follow: bool = True, body: bytes | None = None) -> Reply:
        data = urllib.parse.urlencode(form).encode() if form is not None else body
        req = urllib.request.Request(self.url(path), data=data, method=method)
        if form is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        opener = self.opener if follow else self.no_redirect
        try:
            with opener.open(req, timeout=self.timeout) as response:
                return Reply(response.status, response.geturl(), response.read().decode("utf-8", "replace"),
                             dict(response.headers.items()))
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace") if error.fp else ""
            return Reply(error.code, error.geturl() or req.full_url, text, dict(error.headers.items()))

    def get(self, path: str, **kwargs) -> Reply:
        return self.request(path, **kwargs)

    def cookie(self, name: str):
        return next((c for c in self.jar if c.name == name), None)

    def drop_cookie(self, name: str) -> None:
        for c in list(self.jar):
            if c.name == name:
                self.jar.clear(c.domain, c.path, c.name)


_INPUT = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+))')


def form_token(page_html: str) -> str:
    """The value of the page's `input[name=csrf_token]` (its <input> tags read by regex: an
    HTMLParser over a whole page costs a busy client more than the server's answer)."""
    for tag in _INPUT.findall(page_html):
        attrs = {name.lower(): html.unescape(a or b or c) for name, a, b, c in _ATTRIBUTE.findall(tag)}
        if attrs.get("name") == "csrf_token" and attrs.get("value"):
            return attrs["value"]
    raise StepFailed("no input[name=csrf_token] on the page")


# --------------------------------------------------------------------------- cards and QR codes


@dataclass
class Card:
    id: str
    email: str
    password: str
    login_url: str = ""
    mailbox_url: str = ""

    @property
    def secret(self) -> str:
        return urllib.parse.urlparse(self.login_url).path.rsplit("/", 1)[-1]

    def to_json(self) -> dict:
        return self.__dict__.copy()


_CARD = re.compile(r'(?s)<section class="card"( [^>]*)>(.*?)</section>')
_DD = re.compile(r"(?s)<dt>(.*?)</dt><dd>(.*?)</dd>")
_SVG = re.compile(r'(?s)<svg class="qr"[^>]*viewBox="0 0 (\d+) (\d+)"[^>]*aria-label="([^"]*)"[^>]*>.*?<path d="([^"]*)"')
_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def qr_text(side: int, path: str, *, scale: int = 6) -> str:
    """What zbarimg reads from the QR code this SVG path draws (rendered as a PGM, white ground)."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        raise RuntimeError("zbarimg not found (make test-deps installs zbar-tools)")
    dark = [[False] * side for _ in range(side)]
    for x, y, w in ((int(a), int(b), int(c)) for a, b, c in _RUN.findall(path)):
        for dx in range(w):
            dark[y][x + dx] = True
    rows = bytearray()
    for y in range(side):
        line = bytes(0 if cell else 255 for cell in dark[y] for _ in range(scale))
        rows += line * scale
    pixels = side * scale
    with tempfile.NamedTemporaryFile(suffix=".pgm", delete=False) as f:
        f.write(b"P5\n%d %d\n255\n" % (pixels, pixels) + bytes(rows))
        name = f.name
    try:
        proc = subprocess.run([zbarimg, "--raw", "-q", name], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(name)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise StepFailed(f"zbarimg could not read a card's QR code (exit {proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout.strip()


def parse_cards(page_html: str, *, decode: bool = True) -> list[Card]:
    """Every `section.card` of /trainer/cards: ID and password as printed, the QR codes decoded."""
    cards = []
    for attributes, block in _CARD.findall(page_html):
        data = {name: html.unescape(a or b or c) for name, a, b, c in _ATTRIBUTE.findall(attributes)}
        terms = {html.unescape(dt): html.unescape(dd) for dt, dd in _DD.findall(block)}
        card = Card(id=data.get("data-participant", ""), email=terms.get("ID", ""), password=terms.get("初期パスワード", ""))
        if decode:
            for side, _, label, path in _SVG.findall(block):
                text = qr_text(int(side), path)
                if "メール" in html.unescape(label):
                    card.mailbox_url = text
                else:
                    card.login_url = text
            # Where the card also names its links in data attributes, they must be the QR codes'.
            for attribute, decoded in (("data-login", card.login_url), ("data-mailbox", card.mailbox_url)):
                if attribute in data and data[attribute] != decoded:
                    raise StepFailed(f"card {card.id}: {attribute}={data[attribute]!r} but its QR code says {decoded!r}")
        cards.append(card)
    return cards


# --------------------------------------------------------------------------- the trainer


class Trainer:
    """The trainer's machine: /trainer/class forms, /trainer/cards and the mail API (loopback)."""

    def __init__(self, base: str):
        self.http = Http(base)
        self.base = self.http.base

    def class_page(self) -> Reply:
        reply = self.http.get("/trainer/class")
        if reply.status != 200:
            raise StepFailed(f"/trainer/class answered {reply.status}: {reply.said()}")
        return reply

    def act(self, operation: str, **fields) -> Reply:
        """POST /trainer/class/<operation> with the page's CSRF token; fails unless it lands back
        on /trainer/class with its notice."""
        token = form_token(self.class_page().text)
        reply = self.http.request(f"/trainer/class/{operation}", {"csrf_token": token, **fields})
        if reply.status != 200 or reply.path != "/trainer/class" or 'class="notice"' not in reply.text:
            raise StepFailed(f"trainer {operation}: {reply.status} at {reply.path}: {reply.said()}")
        return reply

    def create(self, count: int, *, seeker: str = "asu", state: str = "fresh", prefix: str = "trainee") -> Reply:
        reply = self.act("create", count=str(count), names="", seeker=seeker, state=state, prefix=prefix,
                         domain="example.jp")
        if f"{count} 人の参加者を作りました。" not in reply.text:
            raise StepFailed(f"trainer create {count}: the page says {reply.said()}")
        return reply

    def remove_all(self) -> None:
        if "<tbody>" in self.class_page().text:
            self.act("remove-all")

    def reset_all(self) -> None:
        self.act("reset-all")

    def cards(self, *, decode: bool = True) -> list[Card]:
        reply = self.http.get("/trainer/cards")
        if reply.status != 200:
            raise StepFailed(f"/trainer/cards answered {reply.status}: {reply.said()}")
        return parse_cards(reply.text, decode=decode)

    def messages(self) -> list[dict]:
        """Every message in the sink, newest first (the Mailpit-compatible API)."""
        reply = self.http.get("/api/v1/messages?limit=5000")
        if reply.status != 200:
            raise StepFailed(f"/api/v1/messages answered {reply.status}")
        return json.loads(reply.text)["messages"]

    def message(self, message_id: str) -> dict:
        reply = self.http.get("/api/v1/message/" + urllib.parse.quote(message_id, safe=""))
        if reply.status != 200:
            raise StepFailed(f"/api/v1/message/{message_id} answered {reply.status}")
        return json.loads(reply.text)

    def delete_all_mail(self) -> None:
        reply = self.http.request("/api/v1/messages", method="DELETE", body=b"{}")
        if reply.status != 200:
            raise StepFailed(f"DELETE /api/v1/messages answered {reply.status}: {reply.said()}")


# --------------------------------------------------------------------------- a scripted participant


_MAIL_LINK = re.compile(r'href="/mailbox/m/([^"]+)"')
_KEY_VALUE = re.compile(r'class="mb-key-value"[^>]*>([^<]+)<')


def mailbox_ids(page_html: str) -> list[str]:
    """The mail ids the /mailbox list links to, in its order (newest first)."""
    return [urllib.parse.unquote(html.unescape(m)) for m in _MAIL_LINK.findall(page_html)]


class HttpParticipant:
    """One participant's phone as a script: its own cookies, the card's links, the flows' forms."""

    def __init__(self, base: str, card: Card):
        self.card = card
        self.http = Http(base)
        self.last_timing = (0.0, 0.0)

    def page(self, rel: str) -> str:
        return f"/{EDITION}/{rel}"

    def join(self, *, to_mailbox: bool = False) -> Reply:
        """Opens the card's link (the QR code) without following it: 303 and the participant cookie."""
        reply = self.http.get(self.card.mailbox_url if to_mailbox else self.card.login_url, follow=False)
        if reply.status != 303 or self.http.cookie(PARTICIPANT_COOKIE) is None:
            raise StepFailed(f"card link: {reply.status}, cookie {self.http.cookie(PARTICIPANT_COOKIE)}: {reply.said()}")
        return reply

    def submit(self, rel: str, fields: dict, *, expect: str, step: str, status: int = 200) -> Reply:
        """GETs the page for its CSRF token, posts the form, and fails unless the redirects end on
        /v2/<expect> with `status` (a form shown again with its errors is 422)."""
        began = time.perf_counter()
        form_page = self.http.get(self.page(rel))
        if form_page.status != 200:
            raise StepFailed(f"{step}: GET {rel} answered {form_page.status} at {form_page.path}: {form_page.said()}")
        token = form_token(form_page.text)
        posted = time.perf_counter()
        reply = self.http.request(self.page(rel), {"csrf_token": token, **fields})
        # How long the form page took to open, and the button press until the next page was there.
        self.last_timing = (posted - began, time.perf_counter() - posted)
        if reply.status != status or reply.path != self.page(expect):
            raise StepFailed(f"{step}: expected /{EDITION}/{expect}, got {reply.status} at {reply.path}: {reply.said()}")
        return reply

    def log_in(self, password: str, *, expect: str = "home.html", step: str = "log in", status: int = 200) -> Reply:
        return self.submit("login.html", {"email": self.card.email, "password": password}, expect=expect, step=step,
                           status=status)

    def log_out(self) -> Reply:
        return self.submit("home.html", {"action": "logout"}, expect="index.html", step="log out")

    def wrong_password(self, attempt: int) -> Reply:
        """Attempts 1–4 stay on the login page with its alert; the 5th shows the lock screen."""
        expect = "locked.html" if attempt >= 5 else "login.html"
        reply = self.log_in(f"Wrong#Pass{attempt}", expect=expect, step=f"wrong password #{attempt}",
                            status=200 if attempt >= 5 else 422)
        if expect == "login.html" and LOGIN_REJECTED not in reply.text:
            raise StepFailed(f"wrong password #{attempt}: no rejection message: {reply.said()}")
        return reply

    def request_reset(self) -> Reply:
        return self.submit("password-reset.html", {"email": self.card.email}, expect="password-reset-key.html",
                           step="request reset")

    def mailbox(self) -> list[str]:
        reply = self.http.get("/mailbox")
        if reply.status != 200:
            raise StepFailed(f"/mailbox answered {reply.status}: {reply.said()}")
        return mailbox_ids(reply.text)

    def wait_for_mail(self, before: set[str], timeout: float = 60) -> str:
        """The id of the first mail in the own mailbox that was not there `before`."""
        deadline = time.monotonic() + timeout
        while True:
            fresh = [m for m in self.mailbox() if m not in before]
            if fresh:
                return fresh[0]
            if time.monotonic() > deadline:
                raise StepFailed(f"no new mail in {self.card.email}'s mailbox within {timeout:.0f} s")
            time.sleep(0.1)

    def read_key(self, mail_id: str) -> str:
        reply = self.http.get("/mailbox/m/" + urllib.parse.quote(mail_id, safe=""))
        if reply.status != 200:
            raise StepFailed(f"mailbox message {mail_id}: {reply.status}: {reply.said()}")
        if RESET_SUBJECT not in reply.text:
            raise StepFailed(f"mailbox message {mail_id} is not a {RESET_SUBJECT}: {reply.said()}")
        found = _KEY_VALUE.search(reply.text)
        if not found:
            raise StepFailed(f"mailbox message {mail_id}: no .mb-key-value: {reply.said()}")
        return html.unescape(found.group(1)).strip()

    def complete_reset(self, new_password: str, key: str) -> Reply:
        return self.submit("password-reset-key.html",
                           {"new_password": new_password, "confirmation": new_password, "key": key},
                           expect="password-reset-done.html", step="complete reset")


def new_password_for(card: Card, round_: int = 1) -> str:
    """A new password the policy accepts (8–32 half-width, letters, digits, a symbol), per participant."""
    return f"Kenshu#{round_}{card.id[-6:]}x"


# --------------------------------------------------------------------------- a browser participant


def launch_chromium(playwright):
    """Debian's Chromium, as e2e/conftest.py launches it (no sandbox as root, small /dev/shm)."""
    args = ["--disable-dev-shm-usage"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)


def phone_context(browser, *, timeout_ms: int = 60_000):
    """A smartphone: 390 × 844, touch, mobile viewport, Japanese."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="ja-JP")
    context.set_default_timeout(timeout_ms)
    return context


class BrowserParticipant:
    """One participant's phone as a real browser page; fields by label, buttons by name."""

    def __init__(self, context, base: str, card: Card):
        self.context = context
        self.base = base.rstrip("/")
        self.card = card
        self.page = context.new_page()

    def path(self, page=None) -> str:
        return urllib.parse.urlparse((page or self.page).url).path

    def said(self, page=None) -> str:
        try:
            return " ".join((page or self.page).locator("body").inner_text().split())[:300]
        except Exception:  # noqa: BLE001 - the page may be navigating
            return "(unreadable)"

    def at(self, rel: str, *, step: str, page=None) -> None:
        page = page or self.page
        want = f"/{EDITION}/{rel}"
        try:
            page.wait_for_url(lambda u: urllib.parse.urlparse(u).path == want, timeout=60_000)
        except Exception:  # noqa: BLE001 - say where it is instead
            raise StepFailed(f"{step}: expected {want}, at {self.path(page)}: {self.said(page)}") from None
        page.wait_for_load_state()

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def control(self, name: str):
        """The first visible button, else link, named exactly `name` (a phone page also holds the
        PC header's hidden controls)."""
        for role in ("button", "link"):
            found = self.page.get_by_role(role, name=name, exact=True).filter(visible=True)
            if found.count():
                return found.first
        raise StepFailed(f"{self.path()}: no visible button or link named {name!r}: {self.said()}")

    def press(self, name: str) -> None:
        control = self.control(name)
        with self.page.expect_navigation():
            control.click()

    def log_out(self) -> None:
        """At 390 px ログアウト is inside the ☰ メニュー: open it, then press ログアウト."""
        self.page.locator("summary").filter(has_text="メニュー").filter(visible=True).first.click()
        self.press("ログアウト")
        self.at("index.html", step="ログアウト (from the ☰ メニュー)")

    def open_card(self, *, step: str = "open the card's sign-in link") -> None:
        self.page.goto(self.card.login_url)
        self.at("login.html", step=step)

    def log_in(self, password: str, *, expect: str = "home.html", step: str = "log in") -> None:
        self.page.goto(f"{self.base}/{EDITION}/login.html")
        self.fill(ID_LABEL, self.card.email)
        self.fill("パスワード", password)
        self.press("ログイン")
        self.at(expect, step=step)

    def request_reset(self) -> None:
        self.page.goto(f"{self.base}/{EDITION}/login.html")
        self.press("パスワードをお忘れの方")
        self.at("password-reset.html", step="パスワードをお忘れの方")
        self.fill(ID_LABEL, self.card.email)
        self.press("次へ進む")
        self.at("password-reset-key.html", step="次へ進む (request reset)")

    def key_from_mailbox(self, *, timeout_ms: int = 60_000, keep_open: bool = False):
        """Opens the card's mailbox link in another tab, waits for the reset mail in the list (it
        appears without a reload), opens it and reads the 認証キー from its box. Returns the key
        and the mail's id (and the tab, with keep_open)."""
        from playwright.sync_api import expect

        tab = self.context.new_page()
        tab.goto(self.card.mailbox_url)
        if urllib.parse.urlparse(tab.url).path != "/mailbox":
            raise StepFailed(f"card's mailbox link ended at {tab.url}: {self.said(tab)}")
        item = tab.locator("ul.mb-list li a").filter(has_text=RESET_SUBJECT)
        try:
            expect(item.first).to_be_visible(timeout=timeout_ms)
        except AssertionError:
            raise StepFailed(f"no {RESET_SUBJECT} in the mailbox within {timeout_ms} ms: {self.said(tab)}") from None
        with tab.expect_navigation():
            item.first.click()
        value = tab.locator(".mb-key-value")
        expect(value).to_have_count(1)
        key = value.inner_text().strip()
        mail_id = urllib.parse.unquote(urllib.parse.urlparse(tab.url).path.rsplit("/", 1)[-1])
        if keep_open:
            return key, mail_id, tab
        tab.close()
        return key, mail_id

    def complete_reset(self, new_password: str, key: str) -> None:
        self.page.bring_to_front()
        self.fill("新しいパスワード", new_password)
        self.fill("新しいパスワード（確認用）", new_password)
        self.fill("認証キー", key)
        self.press("完了")
        self.at("password-reset-done.html", step="完了 (complete reset)")
