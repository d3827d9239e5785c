"""One event stream per browser (issue 11): the served gallery's ~70 frames and a trainer's many tabs
share one `/_kenshu/events` connection, so nothing queues behind the browser's six connections
per host; live reload still reaches every open page and frame, new mail every inbox tab.

The browser talks to `kenshu serve` through a small counting proxy, so the test sees every
request the browser really sent (the shared worker's too), not what a page reports of itself.
"""

from __future__ import annotations

import html
import re
import shutil
import smtplib
import socket
import subprocess
import threading
import time
import urllib.request
from email.header import Header
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from conftest import REPO, new_page
from test_flows import KENSHU, free_port

EVENTS = "/_kenshu/events"
LEAD = "lead: アカウントとして登録したメールアドレスとパスワードを入力してください。"


def shut_both(*sockets: socket.socket) -> None:
    """Ends both directions of a proxied connection when either side is done."""
    for s in sockets:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class CountingProxy:
    """A TCP proxy on loopback that records the request line of every HTTP request passing it."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for line in self.requests if line.split(" ")[1] == path)

    def close(self) -> None:
        self.listener.close()
        for s in self.sockets:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self.sockets += [client, upstream]
            threading.Thread(target=self._requests, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _requests(self, source: socket.socket, sink: socket.socket) -> None:
        """Forwards the browser's bytes, parsing request heads (and skipping bodies) as it goes."""
        buffered, body_left = b"", 0
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
                buffered += chunk
                while True:
                    if body_left:
                        skipped = min(body_left, len(buffered))
                        buffered, body_left = buffered[skipped:], body_left - skipped
                        if body_left:
                            break
                    head, found, rest = buffered.partition(b"\r\n\r\n")
                    if not found:
                        break
                    lines = head.decode("latin-1").split("\r\n")
                    with self.lock:
                        self.requests.append(lines[0])
                    length = [int(l.split(":", 1)[1]) for l in lines[1:] if l.lower().startswith("content-length:")]
                    buffered, body_left = rest, (length[0] if length else 0)
        except OSError:
            pass
        finally:
            shut_both(source, sink)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            shut_both(source, sink)


@pytest.fixture()
def served(tmp_path: Path):
    """`kenshu serve` on a copy of Content/ (the tests edit it), with its mail sink, behind the proxy."""
    if not KENSHU.exists():
        pytest.fail(f"{KENSHU} is missing: run `swift build` first")
    shutil.copytree(REPO / "Content", tmp_path / "Content")
    port, smtp_port = free_port(), free_port()
    log = open(tmp_path / "serve.log", "w", encoding="utf-8")
    server = subprocess.Popen(
        [str(KENSHU), "serve", "--content", "Content", "--output", "Output", "--port", str(port),
         "--smtp-port", str(smtp_port), "--data", "data"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/login.html", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("kenshu serve did not start:\n" + (tmp_path / "serve.log").read_text())
    proxy = CountingProxy(port)
    yield f"http://127.0.0.1:{proxy.port}", tmp_path, proxy, smtp_port
    proxy.close()
    server.terminate()
    server.wait(timeout=15)
    log.close()


def built_heading(output: Path, frame_src: str) -> str:
    """The first <h1> of the page a frame shows, read from the file the build wrote."""
    page = (output / frame_src.split("#")[0]).read_text(encoding="utf-8")
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert found, f"{frame_src} has no <h1>"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


FRAME_HEADING = """(frame) => {
  const doc = frame.contentDocument;
  const h1 = doc && doc.readyState === "complete" && doc.querySelector("h1");
  return h1 ? h1.textContent.trim() : null;
}"""


def test_served_gallery_loads_every_frame_over_one_event_stream(served, browser):
    base, root, proxy, _ = served
    page = new_page(browser, "pc", bypass_csp=True)
    try:
        started = time.monotonic()
        page.goto(base + "/", wait_until="load", timeout=30_000)
        loaded = time.monotonic() - started
        frames = page.locator("iframe")
        count = frames.count()
        assert count >= 60, f"the gallery shows {count} frames"
        for i in range(count):
            frame = frames.nth(i)
            frame.scroll_into_view_if_needed()
            expected = built_heading(root / "Output", frame.get_attribute("src"))
            page.wait_for_function(f"(f) => ({FRAME_HEADING})(f) === {expected!r}", arg=frame.element_handle(),
                                   polling=100, timeout=10_000)
        everything = time.monotonic() - started
        print(f"served gallery: load {loaded:.2f} s, all {count} frames rendered {everything:.2f} s")
        # The gallery itself listens (once); its frames open no stream of their own.
        assert proxy.count(EVENTS) <= 1, proxy.requests
        assert proxy.count("/_kenshu/hub.js") <= 1

        # A saved change still reaches the frames that show the page (a change to the page's lead,
        # not its title: the gallery lists titles, and a changed gallery reloads as a whole).
        source = root / "Content/pages/login.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(LEAD, LEAD + "（改）"), encoding="utf-8")
        login_frames = page.locator('iframe[src="v2/login.html"]')
        assert login_frames.count() == 2
        for i in range(2):
            page.wait_for_function("(f) => !!(f.contentDocument && f.contentDocument.body && f.contentDocument.body.textContent.includes('（改）'))",
                                   arg=login_frames.nth(i).element_handle(), polling=100, timeout=10_000)
        assert proxy.count(EVENTS) <= 1, proxy.requests
    finally:
        page.context.close()


def test_many_tabs_share_one_stream_and_all_hear_reloads_and_mail(served, browser):
    base, root, proxy, smtp_port = served
    context = new_page(browser, "pc", bypass_csp=True).context  # one browser profile: tabs share its connections
    tabs = context.pages
    try:
        site = ["v2/login.html", "v2/index.html", "v2/password-reset.html", "v1/login.html",
                "v1/index.html", "v2/login.html", "v2/mynaportal/login.html"]
        for i, rel in enumerate(site):
            tab = tabs[0] if i == 0 else context.new_page()
            tab.goto(f"{base}/{rel}", wait_until="load", timeout=15_000)
            tabs = context.pages
        inbox = context.new_page()
        inbox.goto(base + "/mail", wait_until="load", timeout=15_000)
        assert len(context.pages) == 8
        # With a stream per tab the browser's six connections were all taken: the ninth hung.
        ninth = context.new_page()
        ninth.goto(base + "/v1/password-reset.html", wait_until="load", timeout=10_000)
        time.sleep(0.5)
        assert proxy.count(EVENTS) == 1, proxy.requests

        # A change to Content/ reloads the open tabs that show the page.
        source = root / "Content/pages/login.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("title: 求職者マイページログイン", "title: 求職者マイページログイン（改）"), encoding="utf-8")
        login_tabs = [tab for tab in context.pages if tab.url.endswith("/login.html") and "mynaportal" not in tab.url]
        assert len(login_tabs) == 3
        for tab in login_tabs:
            tab.wait_for_function("document.querySelector('h1').textContent.includes('（改）')", timeout=10_000)

        # New mail appears in the inbox tab without a reload by hand.
        message = MIMEText("認証キー：AB12CD34\n", "plain", "utf-8")
        message["Subject"] = Header("共有ストリームの確認", "utf-8")
        message["From"] = "system@mail.hellowork.mhlw.go.jp"
        message["To"] = "asu.yuki@example.jp"
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
        inbox.wait_for_function("document.body.textContent.includes('共有ストリームの確認')", timeout=10_000)
        assert proxy.count(EVENTS) == 1, proxy.requests
    finally:
        context.close()
