"""Classroom mode (issue #14) with a real server, real browsers and a real network.

1. `test_phone_on_the_classroom_network`: two network namespaces joined by a veth pair. The
   server runs `kenshu serve --lan` in one; the trainer's side (its loopback) creates two
   participants through /trainer/class and reads their cards; a phone in the other namespace
   (Chromium at 390 × 844, mobile) reaches the server only over the veth pair, through the card's
   QR link on the LAN address: it logs in, locks its account, resets it with the 認証キー read in its
   own mailbox and logs in again — and gets 403 on the trainer's pages and nothing (404) of the
   other participant's mailbox.
2. `test_class_of_twenty_reset_at_once`: twenty participants at the same moment (18 scripted HTTP
   clients, 2 real browsers), each with its own cookies and card, each through the whole reset
   flow; every mail lands in its participant's mailbox and nowhere else, none is lost.
3. `test_cards_print_eight_whole_cards_a_page`: /trainer/cards with 10 participants printed to A4
   PDF by Chromium: 8 whole cards on page 1, 2 on page 2, every QR code readable on its page.
4. `test_mailbox_fits_a_phone`: /mailbox and a message with its 認証キー at 390 px, no sideways
   scrolling, new mail listed without the participant reloading.

Tests 2–4 share one loopback server (temp --data/--output); each starts by removing every
participant and every mail. Screenshots and the PDF go to test-results/classroom/.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from classroom_kit import (RESET_SUBJECT, SENDER, BrowserParticipant, Card, HttpParticipant,
                           KEY_LINE, Trainer, launch_chromium, new_password_for, phone_context)
from axe_playwright_python.sync_playwright import Axe

from conftest import REPO, axe_blocking, axe_report, new_page, vnu_errors_in

KENSHU = Path(os.environ.get("KENSHU", ".build/debug/kenshu"))
if not KENSHU.is_absolute():
    KENSHU = REPO / KENSHU
E2E = Path(__file__).resolve().parent
SHOTS = REPO / "test-results" / "classroom"
TRAINER_PATHS = ["/trainer", "/trainer/class", "/trainer/cards", "/mail", "/api/v1/messages", "/facilitator"]


# --------------------------------------------------------------------------- server


class ClassServer:
    """`kenshu serve` with a temp --data and --output, optionally `--lan` inside a namespace."""

    def __init__(self, root: Path, *, port: int, netns: str | None = None, lan_address: str | None = None):
        self.root = root
        self.port = port
        self.netns = netns
        self.lan_address = lan_address
        self.base = f"http://127.0.0.1:{port}"
        self.log = root / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if not KENSHU.exists():
            pytest.fail(f"{KENSHU} is missing: run `swift build --product kenshu` (or set KENSHU)")
        args = [str(KENSHU), "serve", "--content", str(REPO / "Content"), "--output", str(self.root / "output"),
                "--port", str(self.port), "--smtp-port", "0", "--data", str(self.root / "data"), "--reset-state"]
        if self.lan_address:
            args += ["--lan", "--lan-address", self.lan_address]
        if self.netns:
            args = ["ip", "netns", "exec", self.netns] + args  # ip execs kenshu: the pid is kenshu's
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"--- start {' '.join(args)}\n")
            log.flush()
            self.process = subprocess.Popen(args, cwd=self.root, stdout=log, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        """Until the live login page answers on loopback (from this namespace)."""
        deadline = time.monotonic() + 90
        trainer = Trainer(self.base)
        while time.monotonic() < deadline:
            self.check_running()
            try:
                if trainer.http.get("/v2/login.html").status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"kenshu serve did not answer within 90 s:\n{self.log_tail()}")

    def check_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            pytest.fail(f"kenshu serve is not running (exit {self.process and self.process.returncode}):\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ClassServer(tmp_path_factory.mktemp("kenshu-classroom"), port=free_port())
    srv.start()
    srv.wait()
    yield srv
    srv.stop()


@pytest.fixture
def trainer(server) -> Trainer:
    """The trainer's machine, with an empty class and an empty sink."""
    server.check_running()
    boss = Trainer(server.base)
    boss.remove_all()
    boss.delete_all_mail()
    assert boss.cards(decode=False) == [] and boss.messages() == [], "could not empty the class and the sink"
    return boss


def shot_path(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / name


# --------------------------------------------------------------------------- 1. a real network


def run(args: list[str], *, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


@pytest.fixture
def network():
    """Two namespaces, `kenshu-srv-<pid>` and `kenshu-phone-<pid>`, joined by a veth pair
    (10.213.X.1/24 and .2/24), loopback up in both; removed afterwards with whatever still runs
    in them. Skips only where namespaces cannot be made."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root (ip netns add); run as root to test classroom mode over a real network")
    if shutil.which("ip") is None:
        pytest.skip("`ip` (iproute2) is not installed: cannot make network namespaces")
    pid = os.getpid()
    srv, phone = f"kenshu-srv-{pid}", f"kenshu-phone-{pid}"
    veth_srv, veth_phone = f"ks{pid % 100000}s", f"ks{pid % 100000}p"
    subnet = f"10.213.{pid % 250 + 1}"
    made = run(["ip", "netns", "add", srv], check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a network namespace here (ip netns add: {made.stderr.strip()})")
    try:
        try:
            run(["ip", "netns", "add", phone])
            run(["ip", "link", "add", veth_srv, "type", "veth", "peer", "name", veth_phone])
            run(["ip", "link", "set", veth_srv, "netns", srv])
            run(["ip", "link", "set", veth_phone, "netns", phone])
            for ns, dev, host in ((srv, veth_srv, 1), (phone, veth_phone, 2)):
                run(["ip", "-n", ns, "addr", "add", f"{subnet}.{host}/24", "dev", dev])
                run(["ip", "-n", ns, "link", "set", dev, "up"])
                run(["ip", "-n", ns, "link", "set", "lo", "up"])
        except RuntimeError as error:
            pytest.skip(f"cannot join two network namespaces by a veth pair here: {error}")
        yield {"srv": srv, "phone": phone, "server_ip": f"{subnet}.1", "phone_ip": f"{subnet}.2"}
    finally:
        for ns in (srv, phone):
            for line in run(["ip", "netns", "pids", ns], check=False).stdout.split():
                try:
                    os.kill(int(line), 9)
                except (ProcessLookupError, ValueError):
                    pass
            run(["ip", "netns", "del", ns], check=False)
        run(["ip", "link", "del", veth_srv], check=False)  # gone with its namespace; in case it was not moved


def in_netns(ns: str, command: str, args: dict, *, timeout: float = 300) -> dict:
    """Runs e2e/classroom_netns.py COMMAND inside namespace `ns` and returns its JSON answer."""
    proc = subprocess.run(["ip", "netns", "exec", ns, sys.executable, str(E2E / "classroom_netns.py"), command,
                           json.dumps(args)], capture_output=True, text=True, timeout=timeout, cwd=E2E,
                          env={**os.environ, "no_proxy": "*", "NO_PROXY": "*"})
    lines = proc.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        pytest.fail(f"classroom_netns.py {command} in {ns} gave no JSON (exit {proc.returncode}):\n"
                    f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")


def test_phone_on_the_classroom_network(network, tmp_path):
    """Over a real network, a participant's phone can do everything the card offers and nothing
    of the trainer's or another participant's.

    Proves: `--lan` serves on the LAN address and announces the join URL; the cards' QR codes carry
    that address and the participant's own secret; from the phone (not loopback) the card link
    signs the participant in, the 5th wrong password locks, the mailbox shows the reset mail with
    the same 認証キー the sink holds, the reset unlocks and the new password signs in; /trainer…,
    /mail, /api/v1, /facilitator and a trainer POST answer 403 and are logged with the phone's
    address; the other participant's mail (by id, with this phone's cookie) and forged secrets for
    them answer 404 and set no cookie; the other participant's account is untouched."""
    port = 18080
    srv = ClassServer(tmp_path, port=port, netns=network["srv"], lan_address=network["server_ip"])
    lan_base = f"http://{network['server_ip']}:{port}"
    srv.start()
    try:
        made = in_netns(network["srv"], "trainer", {"base": srv.base, "count": 2})
        assert "error" not in made, f"trainer side: {made.get('error')}\n{made.get('trace')}\n{srv.log_tail()}"
        assert f"participants join at {lan_base}/join" in srv.log_text(), f"no join URL announced:\n{srv.log_tail()}"
        cards = [Card(**c) for c in made["cards"]]
        assert len(cards) == 2, f"expected 2 cards, got {[c.id for c in cards]}"
        for card in cards:
            assert card.login_url.startswith(f"{lan_base}/join/{card.id}."), f"{card.id}: sign-in QR is {card.login_url}"
            assert card.mailbox_url == card.login_url + "?to=mailbox", f"{card.id}: mailbox QR is {card.mailbox_url}"
            assert card.email and card.password, f"{card.id}: card without ID or password: {card}"
        me, other = cards
        assert me.secret != other.secret and me.password != other.password

        mac = me.secret.split(".", 1)[1]
        other_mac = other.secret.split(".", 1)[1]
        guessed = other_mac[:-1] + ("a" if other_mac[-1] != "a" else "b")
        forged = [f"{other.id}.{mac}", f"{other.id}.{guessed}", other.id, f"{other.id}.{secrets.token_hex(16)}"]
        new_password = new_password_for(me)
        seen = in_netns(network["phone"], "phone", {
            "base": lan_base, "card": me.to_json(), "new_password": new_password, "shots": str(shot_path("")),
            "other": {"mail_id": made["other_mail_id"], "forged_secrets": forged}})
        assert "error" not in seen, (f"the phone stopped after {seen.get('steps')}: {seen.get('error')}\n"
                                     f"page: {seen.get('page')}\n{seen.get('trace')}\n{srv.log_tail()}")
        assert len(seen["steps"]) == 9, seen["steps"]
        assert seen["participant_cookie"] == {"httpOnly": True, "sameSite": "Lax"}, seen["participant_cookie"]
        assert seen["viewport_width"] == 390

        for path, answer in seen["refusals"].items():
            assert answer["status"] == 403, f"{path} from the phone answered {answer['status']}: {answer['text']}"
            assert other.email not in answer["text"] and me.email not in answer["text"], f"{path} shows a participant"
        log = srv.log_text()
        for path in TRAINER_PATHS + ["/trainer/class/remove-all"]:
            assert re.search(rf"refused \w+ {re.escape(path)} from {re.escape(network['phone_ip'])}\b", log), (
                f"no logged refusal of {path} from {network['phone_ip']}:\n{srv.log_tail()}")

        assert seen["own_mailbox_ids"] == [seen["mail_id"]], f"own mailbox lists {seen['own_mailbox_ids']}"
        assert made["other_mail_id"] not in seen["own_mailbox_ids"]
        assert me.email in seen["own_mailbox_text"] and other.email not in seen["own_mailbox_text"]
        by_id = seen["other"]["mail_by_id"]
        assert by_id["status"] == 404, f"the other participant's mail with my cookie: {by_id}"
        assert other.email not in by_id["text"] and "認証キー" not in by_id["text"]
        for attempt in seen["other"]["forged"]:
            assert attempt["status"] == 404 and not attempt["cookie"], f"forged secret opened something: {attempt}"
            assert other.email not in attempt["text"]
        assert seen["other"]["no_card_mailbox"]["status"] == 404

        after = in_netns(network["srv"], "report", {"base": srv.base, "ids": [me.id, other.id]})
        assert "error" not in after, after
        mine = [m for m in after["messages"] if me.email in m["To"]]
        assert len(mine) == 1 and mine[0]["Subject"] == RESET_SUBJECT, f"mails to {me.email}: {mine}"
        key = KEY_LINE.search(mine[0]["Text"])
        assert key and key.group(1) == seen["key"], f"the mailbox showed {seen['key']}, the mail says {mine[0]['Text']!r}"
        assert mine[0]["ID"] == seen["mail_id"]
        assert len(after["messages"]) == 2, [(m["Subject"], m["To"]) for m in after["messages"]]
        # The phone's 5 wrong passwords and its reset touched only its own account.
        assert after["rows"][other.id] and "失敗 0 回" in after["rows"][other.id], after["rows"]
        assert "ロック中" not in after["rows"][me.id], after["rows"]
    finally:
        srv.stop()


# --------------------------------------------------------------------------- 2. a class of twenty


def scripted_reset(base: str, card: Card, start: threading.Barrier) -> dict:
    """A participant's phone as a script: the card's mailbox link, then the reset flow."""
    who = HttpParticipant(base, card)
    who.join(to_mailbox=True)
    before = set(who.mailbox())
    start.wait(timeout=180)
    began = time.monotonic()
    who.request_reset()
    mail_id = who.wait_for_mail(before)
    key = who.read_key(mail_id)
    password = new_password_for(card)
    who.complete_reset(password, key)
    home = who.log_in(password)
    assert "求職者マイページホーム" in home.text, f"{card.email}: home page without its heading"
    return {"mail_id": mail_id, "key": key, "before": sorted(before), "seconds": time.monotonic() - began}


def browser_reset(base: str, card: Card, start: threading.Barrier) -> dict:
    """A participant's phone as a real browser (its own Playwright and Chromium, in this thread)."""
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            who = BrowserParticipant(phone_context(browser), base, card)
            who.page.goto(base + "/v2/login.html")
            start.wait(timeout=180)
            began = time.monotonic()
            who.request_reset()
            key, mail_id = who.key_from_mailbox()
            password = new_password_for(card)
            who.complete_reset(password, key)
            who.log_in(password)
            expect(who.page.get_by_role("heading", name="求職者マイページホーム", exact=True)).to_be_visible()
            return {"mail_id": mail_id, "key": key, "before": [], "seconds": time.monotonic() - began}
        finally:
            browser.close()


def test_class_of_twenty_reset_at_once(server, trainer):
    """Twenty participants reset their passwords at the same moment — 18 scripted phones and 2
    real browsers — and each one's mail goes to that participant's mailbox only.

    Proves: all 20 finish (request → key from own /mailbox → new password → signed in); the sink
    holds exactly 20 reset mails, one to each participant, none lost or doubled; every mailbox
    lists exactly its own mail; the key each participant read is the key in the mail the sink
    holds for them."""
    trainer.create(20)
    cards = trainer.cards()
    assert len(cards) == 20 and len({c.email for c in cards}) == 20 and len({c.secret for c in cards}) == 20
    start = threading.Barrier(20)
    results: dict[str, dict] = {}
    failures: dict[str, str] = {}

    def participant(card: Card, flow) -> None:
        try:
            results[card.id] = flow(server.base, card, start)
        except Exception as error:  # noqa: BLE001 - collected, reported together
            failures[card.id] = f"{type(error).__name__}: {error}\n{traceback.format_exc()[-1200:]}"
            start.abort()  # nobody waits for a participant that fell over before the start

    threads = [threading.Thread(target=participant, args=(card, browser_reset if i >= 18 else scripted_reset), daemon=True)
               for i, card in enumerate(cards)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, 420 - (time.monotonic() - began)))
    stuck = [card.id for card, thread in zip(cards, threads) if thread.is_alive()]
    assert not stuck, f"still running after 7 minutes: {stuck}"
    assert not failures, "participants that did not finish:\n" + "\n".join(f"{k}: {v}" for k, v in sorted(failures.items()))
    assert len(results) == 20

    messages = trainer.messages()
    resets = [m for m in messages if m["Subject"] == RESET_SUBJECT]
    assert len(messages) == 20 and len(resets) == 20, f"{len(messages)} mails, {len(resets)} reset mails (expected 20)"
    to = {m["ID"]: [a["Address"] for a in m["To"]] for m in resets}
    assert all(len(addresses) == 1 for addresses in to.values()), to
    by_email = {addresses[0]: mail_id for mail_id, addresses in to.items()}
    assert set(by_email) == {c.email for c in cards}, f"reset mails went to {sorted(by_email)}"

    for card in cards:
        mail_id = by_email[card.email]
        got = results[card.id]
        assert got["mail_id"] == mail_id, f"{card.email} read mail {got['mail_id']}, its mail is {mail_id}"
        text = trainer.message(mail_id)["Text"]
        key = KEY_LINE.search(text)
        assert key and key.group(1) == got["key"], f"{card.email} used key {got['key']}; its mail says {text!r}"
        fresh = HttpParticipant(server.base, card)
        fresh.join(to_mailbox=True)
        assert fresh.mailbox() == [mail_id], f"{card.email}'s mailbox lists {fresh.mailbox()}, expected only {mail_id}"
    seconds = sorted(r["seconds"] for r in results.values())
    print(f"\nclass of 20: slowest participant {seconds[-1]:.1f} s, median {seconds[len(seconds) // 2]:.1f} s")


# --------------------------------------------------------------------------- 3. cards on paper


def pdf_page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def qr_codes_on_page(pdf: Path, number: int) -> set[str]:
    """Every QR code zbarimg reads on a page of the PDF, rasterised at 300 and at 150 dpi (zbar
    misses the odd code at one resolution or another; a code read at either is a readable code)."""
    found: set[str] = set()
    for dpi in (300, 150):
        prefix = shot_path(f"cards-qr-page{number}-{dpi}")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-png", "-singlefile",
                        str(pdf), str(prefix)], check=True, timeout=120, capture_output=True)
        found |= set(subprocess.run(["zbarimg", "--raw", "-q", f"{prefix}.png"], capture_output=True, text=True,
                                    timeout=120).stdout.split())
        os.unlink(f"{prefix}.png")
    return found


def test_cards_print_eight_whole_cards_a_page(server, trainer, browser):
    """/trainer/cards for 10 participants, printed to A4 by Chromium, gives two clean pages.

    Proves: page 1 holds exactly 8 cards and page 2 the other 2, in order; each card's ID, initial
    password, heading and both QR captions are on the same page (no card cut across pages); every
    QR code zbarimg finds on a page's rendering decodes to a card on that page (16 on page 1, 4 on
    page 2). Page 1 at 50 dpi is kept as test-results/classroom/cards-page1.png."""
    for tool in ("pdftotext", "pdftoppm", "pdfinfo", "zbarimg"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found (make test-deps installs poppler-utils and zbar-tools)")
    trainer.create(10)
    cards = trainer.cards(decode=False)
    assert len(cards) == 10
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(server.base + "/trainer/cards")
    expect(page.locator("section.card")).to_have_count(10)
    pdf = shot_path("cards.pdf")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    context.close()

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages == 2, f"10 cards printed on {pages} pages (expected 2)"
    expected = [cards[:8], cards[8:]]
    for number, want in enumerate(expected, start=1):
        text = pdf_page_text(pdf, number)
        on_page = [c for c in cards if c.email in text]
        assert [c.id for c in on_page] == [c.id for c in want], f"page {number} shows {[c.id for c in on_page]}"
        for card in want:
            assert card.password in text, f"page {number}: {card.id}'s password {card.password!r} is not on its page"
        for piece in ("求職者マイページ 練習用", "初期パスワード", "ログイン画面", "メール"):
            assert text.count(piece) == len(want), f"page {number}: {text.count(piece)} × {piece!r} for {len(want)} cards"
        decoded = qr_codes_on_page(pdf, number)
        ids = sorted(urllib.parse.urlparse(d).path.rsplit("/", 1)[-1].split(".", 1)[0] for d in decoded)
        assert ids == sorted(c.id for c in want for _ in range(2)), f"page {number}: QR codes read {sorted(decoded)}"
    preview = shot_path("cards-page1")
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(preview)],
                   check=True, timeout=60, capture_output=True)
    assert Path(f"{preview}.png").stat().st_size > 0


# --------------------------------------------------------------------------- 4. the mailbox on a phone


def test_mailbox_fits_a_phone(server, trainer, browser):
    """A participant's mailbox and a mail with its 認証キー at 390 px.

    Proves: the empty mailbox lists the mail once it arrives without the participant reloading;
    the list and the message fit 390 px (no sideways scrolling, the key box inside the screen); the
    message shows the sender, the subject and the same 認証キー as the mail in the sink. Screenshots:
    test-results/classroom/mailbox-list-390.png, mailbox-message-390.png."""
    trainer.create(1)
    card = trainer.cards()[0]
    context = phone_context(browser, timeout_ms=30_000)
    page = context.new_page()
    page.goto(card.mailbox_url)
    assert urllib.parse.urlparse(page.url).path == "/mailbox"
    expect(page.get_by_text("メールはまだありません")).to_be_visible()
    HttpParticipant(server.base, card).request_reset()
    item = page.locator("ul.mb-list li a")
    expect(item).to_have_count(1)  # the list reloads itself when the mail arrives
    expect(item).to_contain_text(RESET_SUBJECT)
    page.screenshot(path=str(shot_path("mailbox-list-390.png")), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the mailbox list scrolls sideways at 390 px"

    with page.expect_navigation():
        item.click()
    key = page.locator(".mb-key-value")
    expect(key).to_be_visible()
    expect(page.get_by_role("heading", name=RESET_SUBJECT)).to_be_visible()
    expect(page.get_by_text(SENDER)).to_be_visible()
    page.screenshot(path=str(shot_path("mailbox-message-390.png")), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the message scrolls sideways at 390 px"
    box = page.locator(".mb-key").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"the key box is outside the screen: {box}"
    mail = trainer.messages()
    assert len(mail) == 1
    sink_key = KEY_LINE.search(trainer.message(mail[0]["ID"])["Text"])
    assert sink_key and key.inner_text().strip() == sink_key.group(1)
    context.close()


def test_classroom_pages_pass_axe_and_the_html_checker(server, trainer, browser):
    """Every page classroom mode adds — the class page, the cards, the projector page, and the
    participant's mailbox (list, a mail, the page a browser without a card gets) — at 1280 and
    390 px: no serious or critical axe-core violation and no Nu HTML Checker error."""
    trainer.create(2)
    card = trainer.cards()[0]
    HttpParticipant(server.base, card).request_reset()
    pages = {"class": "/trainer/class", "cards": "/trainer/cards", "join": "/trainer/join"}
    problems = []
    for viewport in ("pc", "sp"):
        page = new_page(browser, viewport)
        try:
            visits = [(name, server.base + path) for name, path in pages.items()]
            visits += [("mailbox", card.mailbox_url), ("mail", None), ("no-card", None)]
            for name, url in visits:
                if name == "mail":
                    page.goto(card.mailbox_url)
                    with page.expect_navigation():
                        page.locator("ul.mb-list li a").first.click()
                elif name == "no-card":
                    page.context.clear_cookies()
                    page.goto(server.base + "/mailbox")
                else:
                    page.goto(url)
                page.wait_for_load_state("load")
                blocking = axe_blocking(Axe(), page)
                if blocking:
                    problems.append(f"axe {name} at {viewport}:\n{axe_report(blocking)}")
                errors = vnu_errors_in(page.content(), f"{name}.html")
                if errors:
                    problems.append(f"Nu HTML Checker {name} at {viewport}:\n" + "\n".join(errors))
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)
