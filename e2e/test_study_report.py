"""`kenshu study import` + `kenshu study report`: a small generated events.json becomes one
self-contained HTML file (no script, nothing fetched) that the Nu HTML Checker accepts.

The binary is $KENSHU (default .build/debug/kenshu, relative to the repository).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import REPO, vnu_line, vnu_messages

KENSHU = Path(os.environ.get("KENSHU", ".build/debug/kenshu"))
if not KENSHU.is_absolute():
    KENSHU = REPO / KENSHU

BASE = datetime(2025, 5, 1, 10, 0, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def generated_archive(participants: int = 4) -> dict:
    """Each participant signs in (one by a detour, with a misclick), answers SEQ and SUS; one note
    holds markup that the report must escape."""
    people, events = [], []
    clock = BASE
    for number in range(1, participants + 1):
        pid = f"P{number:02d}"
        people.append({"id": pid, "created_at": iso(clock)})
        seq = 0
        attempt = f"{pid}-login-1"

        def add(kind: str, seconds: float, attempt: str | None = attempt, **fields) -> None:
            nonlocal clock, seq
            clock += timedelta(seconds=seconds)
            seq += 1
            event = {"participant": pid, "seq": seq, "time": iso(clock), "type": kind, **fields}
            if attempt is not None:
                event["attempt"] = attempt
            events.append(event)

        add("page_view", 1, path="/v2/index.html")
        add("task_started", 2, study="chapter3", task="login")
        add("click", 3, element="a.button", x=600 + number, y=300, viewport_width=1280, viewport_height=900, interactive=True)
        if number % 2 == 0:
            add("click", 2, element="p.lead", x=390 - number, y=1200, viewport_width=390, viewport_height=844, interactive=False)
            add("page_view", 1, path="/v2/outside.html")
            add("note", 1, tag="confusion", text="<b>x</b> & 範囲外")
        add("page_view", 2, path="/v2/login.html")
        add("signed_in", 10 + number, path="/v2/home.html")
        add("task_ended", 1, by="participant")
        add("seq_answer", 3, answer=5 + number % 3)
        add("sus_answers", 30, attempt=None, answers=[4, 2, 4, 2, 5, 1, 4, 2, 4, 2])
        clock += timedelta(minutes=10)
    return {"schema": 1, "participants": people, "events": events}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KENSHU), *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_imported_log_makes_a_valid_self_contained_report(tmp_path: Path):
    archive = tmp_path / "events.json"
    archive.write_text(json.dumps(generated_archive(), ensure_ascii=False), encoding="utf-8")
    data = tmp_path / "data"

    imported = run("study", "import", "--data", str(data), str(archive))
    assert imported.returncode == 0, imported.stderr
    again = run("study", "import", "--data", str(data), str(archive))
    assert again.returncode == 1 and "already holds events" in again.stderr

    html_path = tmp_path / "report.html"
    report = run("study", "report", "--data", str(data), "--output", str(html_path))
    assert report.returncode == 0, report.stderr
    html = html_path.read_text(encoding="utf-8")

    assert "<svg" in html and "<circle" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the report fetches something"
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt; &amp; 範囲外" in html
    assert "login" in html and "SUS" in html

    errors = vnu_messages(html_path)
    assert not errors, "Nu HTML Checker:\n" + "\n".join(vnu_line(m, "report.html") for m in errors)

    missing = run("study", "report", "--data", str(tmp_path / "nothing"), "--output", str(tmp_path / "x.html"))
    assert missing.returncode == 1 and "studies.sqlite" in missing.stderr
