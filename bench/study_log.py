#!/usr/bin/env python3
"""A generated study log for bench/study.sh: PARTICIPANTS participants each do the 6 tasks of
Content/studies/chapter3.yaml (page views, clicks with some misclicks, a wrong key now and then,
the server event that meets each task's success condition, SEQ), then answer the SUS; a few give
up or get help. Writes an events.json (schema 1) to stdout. Deterministic (seeded)."""
import json, random, sys
from datetime import datetime, timedelta, timezone

participants = int(sys.argv[1]) if len(sys.argv) > 1 else 40
rng = random.Random(20261130)
TASKS = [
    ("login", "/v2/index.html", ["/v2/login.html", "/v2/home.html"], ("signed_in", {"path": "/v2/home.html"}), 1280),
    ("forgot-password", "/v2/login.html", ["/v2/password-reset.html", "/v2/password-reset-key.html", "/v2/password-reset-done.html"], ("password_reset_completed", {}), 1280),
    ("locked-account", "/v2/login.html", ["/v2/locked.html", "/v2/password-reset.html", "/v2/password-reset-key.html", "/v2/login.html", "/v2/home.html"], ("signed_in", {"path": "/v2/home.html"}), 1280),
    ("logout-smartphone", "/v2/home.html", ["/v2/index.html"], ("signed_out", {}), 390),
    ("link-mynaportal", "/v2/mynaportal/login.html", ["/v2/mynaportal/index.html", "/v2/mynaportal/connections.html", "/v2/mynaportal/consent.html", "/v2/link-auth.html", "/v2/mynaportal/connected.html"], ("myna_linked", {}), 1280),
    ("unlink-mynaportal", "/v2/mynaportal/connections-linked.html", ["/v2/mynaportal/unlink.html", "/v2/mynaportal/unlinked.html"], ("myna_unlinked", {}), 1280),
]
clock = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
people, events = [], []
for number in range(1, participants + 1):
    pid = f"P{number:02d}"
    people.append({"id": pid, "created_at": clock.strftime("%Y-%m-%dT%H:%M:%S.000Z")})
    def add(kind, seconds, attempt=None, **fields):
        global clock
        nonlocal_seq[0] += 1
        clock += timedelta(seconds=seconds)
        event = {"participant": pid, "seq": nonlocal_seq[0], "time": clock.strftime("%Y-%m-%dT%H:%M:%S.") + f"{clock.microsecond // 1000:03d}Z", "type": kind, **fields}
        if attempt:
            event["attempt"] = attempt
        events.append(event)
    nonlocal_seq = [0]
    for task, start, path, (success, fields), width in TASKS:
        attempt = f"{pid}-{task}-1"
        height = 844 if width == 390 else 900
        add("page_view", 1, attempt, path=start)
        add("task_started", 1, attempt, study="chapter3", task=task)
        for page in path:
            for _ in range(rng.randint(1, 3)):
                interactive = rng.random() > 0.12
                add("click", rng.uniform(1, 6), attempt, element="button" if interactive else "p", x=rng.randint(0, width - 1),
                    y=rng.randint(0, height * 2), viewport_width=width, viewport_height=height, interactive=interactive)
            if task == "forgot-password" and page.endswith("key.html") and rng.random() < 0.3:
                add("key_mismatch", 2, attempt)
            add("page_view", rng.uniform(1, 4), attempt, path=page)
        ending = rng.random()
        if ending < 0.05:
            add("gave_up", 5, attempt)
        else:
            if ending < 0.10:
                add("assisted", 5, attempt)
            add(success, 1, attempt, **fields)
            add("task_ended", 1, attempt, by="participant")
        add("seq_answer", 3, attempt, answer=rng.randint(3, 7))
    add("sus_answers", 30, None, answers=[rng.randint(3, 5) if i % 2 == 0 else rng.randint(1, 3) for i in range(10)])
json.dump({"schema": 1, "participants": people, "events": events}, sys.stdout, ensure_ascii=False)
