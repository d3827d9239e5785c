"""The SMTP sink with real clients: Python's smtplib, curl and swaks. A mail is on disk, byte for
byte, before 250; a dropped connection stores nothing; a restart keeps everything; bad input gets
the right reply and the connection keeps working."""

from __future__ import annotations

import email
import email.policy
import shutil
import smtplib
import socket
import subprocess
import threading
import time
import json
import os
import urllib.parse
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import REPO

KENSHU = REPO / ".build" / "debug" / "kenshu"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    def __init__(self, data: Path):
        self.data = data
        self.port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> "Sink":
        if not KENSHU.exists():
            pytest.fail(f"{KENSHU} is missing: run `swift build` first")
        self.process = subprocess.Popen(
            [str(KENSHU), "mail", "--smtp-port", str(self.port), "--http-port", str(self.http_port), "--data", str(self.data)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                socket.create_connection(("127.0.0.1", self.http_port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail("kenshu mail did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def stored(self) -> list[Path]:
        return sorted((self.data / "mail" / "new").glob("*")) + sorted((self.data / "mail" / "cur").glob("*"))

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read()
            return json.loads(data) if response.headers.get_content_type() == "application/json" else data

    def parsed(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in self.stored()]


@pytest.fixture()
def sink(tmp_path: Path):
    s = Sink(tmp_path / "data").start()
    yield s
    s.stop()


def reset_mail(charset: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "system@mail.hellowork.mhlw.go.jp"
    message["To"] = "asu.yuki@example.jp"
    message["Subject"] = "パスワード再登録申込受付通知"
    message.set_content("明日 勇気 様\n\n認証キー: 4F7K-29QX\n\n.先頭がドットの行\n", charset=charset)
    return message


@pytest.mark.parametrize("charset", ["utf-8", "iso-2022-jp"])
def test_smtplib_japanese_mail_is_stored_exactly(sink, charset):
    message = reset_mail(charset)
    raw = message.as_bytes(policy=email.policy.SMTP)
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
        code, capabilities = client.ehlo("tester.example")
        assert code == 250
        for extension in (b"PIPELINING", b"SIZE", b"8BITMIME", b"SMTPUTF8", b"ENHANCEDSTATUSCODES"):
            assert extension in capabilities
        client.sendmail("system@mail.hellowork.mhlw.go.jp", ["asu.yuki@example.jp"], raw)
    # on disk before 250: smtplib has its 250 by now
    files = sink.stored()
    assert len(files) == 1
    stored = files[0].read_bytes()
    assert stored.endswith(raw), "the message body must be stored byte for byte (dot-unstuffed)"
    assert stored.startswith(b"Return-Path: <system@mail.hellowork.mhlw.go.jp>")
    parsed = sink.parsed()[0]
    assert parsed["Subject"] == "パスワード再登録申込受付通知"
    assert "認証キー: 4F7K-29QX" in parsed.get_content()
    assert ".先頭がドットの行" in parsed.get_content()
    # the Mailpit-compatible API returns the Japanese exactly
    listing = sink.api("/api/v1/messages")
    assert listing["total"] == 1 and listing["unread"] == 1
    assert listing["messages"][0]["Subject"] == "パスワード再登録申込受付通知"
    message = sink.api("/api/v1/message/" + listing["messages"][0]["ID"])
    assert message["Subject"] == "パスワード再登録申込受付通知"
    assert message["From"] == {"Name": "", "Address": "system@mail.hellowork.mhlw.go.jp"}
    assert message["Text"] == "明日 勇気 様\n\n認証キー: 4F7K-29QX\n\n.先頭がドットの行\n"
    assert sink.api("/api/v1/messages")["unread"] == 0  # fetched means read, as in Mailpit
    assert sink.api("/api/v1/message/latest/raw") == stored
    found = sink.api("/api/v1/search?query=" + urllib.parse.quote("subject:再登録 to:asu.yuki"))
    assert found["messages_count"] == 1
    sink.api("/api/v1/messages", "DELETE", {"IDs": [message["ID"]]})
    assert sink.api("/api/v1/messages")["total"] == 0
    assert sink.stored() == []


def test_curl_and_swaks_deliver(sink, tmp_path):
    mail = tmp_path / "mail.eml"
    mail.write_bytes(b"From: a@example.jp\r\nTo: b@example.jp\r\nSubject: curl\r\n\r\nhello from curl\r\n")
    subprocess.run(["curl", "-sS", f"smtp://127.0.0.1:{sink.port}", "--mail-from", "a@example.jp",
                    "--mail-rcpt", "b@example.jp", "--upload-file", str(mail)], check=True, timeout=20)
    if shutil.which("swaks"):
        subprocess.run(["swaks", "--server", f"127.0.0.1:{sink.port}", "--from", "c@example.jp", "--to", "d@example.jp",
                        "--header", "Subject: swaks", "--body", "hello from swaks", "--pipeline"],
                       check=True, timeout=20, capture_output=True)
        expected = {"curl", "swaks"}
    else:
        pytest.fail("swaks is not installed (make test-deps installs it)")
    assert {m["Subject"] for m in sink.parsed()} == expected


def talk(sock: socket.socket, data: bytes) -> str:
    sock.sendall(data)
    time.sleep(0.2)
    return sock.recv(65536).decode(errors="replace")


def test_dropped_connection_mid_data_stores_nothing(sink):
    with socket.create_connection(("127.0.0.1", sink.port)) as s:
        assert s.recv(1024).startswith(b"220")
        reply = talk(s, b"EHLO x\r\nMAIL FROM:<a@example.jp>\r\nRCPT TO:<b@example.jp>\r\nDATA\r\n")
        assert "354" in reply
        s.sendall(b"Subject: half\r\n\r\nthis message never ends")
    time.sleep(0.5)
    assert sink.stored() == []
    assert not list((sink.data / "mail" / "tmp").glob("*"))


def test_bad_input_gets_the_right_reply_and_the_connection_survives(sink):
    with socket.create_connection(("127.0.0.1", sink.port)) as s:
        s.recv(1024)
        assert talk(s, b"DATA\r\n").startswith("503")
        assert talk(s, b"FROB\r\n").startswith("500")
        assert talk(s, b"MAIL FROM:<a@example.jp>\r\n").startswith("503")  # before HELO/EHLO
        assert talk(s, b"EHLO x\r\n").startswith("250")
        assert talk(s, b"MAIL FROM:nonsense\r\n").startswith("501")
        assert talk(s, b"MAIL FROM:<a@example.jp> SIZE=999999999999\r\n").startswith("552")
        assert talk(s, b"\x00\xff\xfe garbage \x01\r\n").startswith("500")
        s.sendall(b"X" * (10 * 1024 * 1024))  # 10 MiB with no CRLF
        assert talk(s, b"\r\n").startswith("500 5.5.2")
        assert talk(s, b"NOOP\r\n").startswith("250")
        assert talk(s, b"QUIT\r\n").startswith("221")


def test_pipelined_commands_are_answered_in_order(sink):
    with socket.create_connection(("127.0.0.1", sink.port)) as s:
        s.recv(1024)
        s.sendall(b"EHLO x\r\nMAIL FROM:<a@example.jp>\r\nRCPT TO:<b@example.jp>\r\nDATA\r\n"
                  b"Subject: p\r\n\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n")
        received = b""
        while not received.endswith(b"\r\n") or b"221" not in received:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
    codes = [line[:3] for line in received.decode().split("\r\n") if line and line[3:4] == " "]
    assert codes == ["250", "250", "250", "354", "250", "250", "221"]


def test_many_simultaneous_connections_and_nothing_lost(sink):
    count = 500
    errors: list[str] = []

    def send(i: int) -> None:
        try:
            with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as client:
                client.sendmail("a@example.jp", ["b@example.jp"], f"Subject: n{i}\r\n\r\nmessage {i}\r\n".encode())
        except Exception as error:  # noqa: BLE001 — collected and reported below
            errors.append(f"{i}: {error!r}")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(m["Subject"] for m in sink.parsed()) == sorted(f"n{i}" for i in range(count))


def test_every_thread_yields_to_the_clients_on_the_same_machine(sink):
    """The sink runs as SCHED_BATCH (see BatchScheduling), also the threads started under load."""
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
        client.sendmail("a@example.jp", ["b@example.jp"], b"Subject: one\r\n\r\nbody\r\n")
    policies = {}
    for task in Path(f"/proc/{sink.process.pid}/task").iterdir():
        try:
            policies[(task / "comm").read_text().strip() + "/" + task.name] = os.sched_getscheduler(int(task.name))
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
    assert len(policies) > 2, policies
    assert {name: policy for name, policy in policies.items() if policy != os.SCHED_BATCH} == {}


def test_restart_keeps_every_message(tmp_path):
    sink = Sink(tmp_path / "data").start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
            for i in range(3):
                client.sendmail("a@example.jp", ["b@example.jp"], f"Subject: r{i}\r\n\r\nx\r\n".encode())
    finally:
        sink.stop()
    before = [p.read_bytes() for p in sink.stored()]
    sink = Sink(tmp_path / "data").start()
    try:
        assert [p.read_bytes() for p in sink.stored()] == before
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
            client.sendmail("a@example.jp", ["b@example.jp"], b"Subject: r3\r\n\r\nx\r\n")
        assert len(sink.stored()) == 4
    finally:
        sink.stop()
