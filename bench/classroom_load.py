#!/usr/bin/env python3
"""A classroom under load (issue #14), driven against a running `kenshu serve` (bench/classroom.sh).

The trainer (loopback) creates N participants through /trainer/class and reads their cards (the
QR codes decoded by zbarimg). Then, ROUNDS times, all N participants at once — each its own
cookies, its card's link — log in with the initial password, log out, type 5 wrong passwords (the
5th locks), request a reset, wait for the mail in their own /mailbox, read the 認証キー there,
complete the reset and log in with the new password. Between rounds the trainer's
全員を初期状態に戻す (/trainer/class/reset-all) and DELETE /api/v1/messages.

Meanwhile one thread GETs a static page (/v2/index.html) and the live login page
(/v2/login.html) in turn, continuously, each on a new connection.

Prints per-step p50/p95/p99, errors, mails that reached the right mailbox, page-GET latency, and
the server's peak RSS and CPU seconds (from /proc). Figures only: nothing is asserted.

Usage: classroom_load.py BASE SERVER_PID DATA_DIR [PARTICIPANTS=40] [ROUNDS=3]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
import traceback
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))

from classroom_kit import (RESET_SUBJECT, KEY_LINE, Card, Http, HttpParticipant, StepFailed, Trainer,  # noqa: E402
                           new_password_for)

base, server_pid, data_dir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
participants = int(sys.argv[4]) if len(sys.argv) > 4 else 40
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3

STEPS = ["join (card link)", "log in", "log out", "wrong password 1-4", "wrong password 5 (locks)",
         "request reset", "mail in own mailbox", "read key (message page)", "complete reset",
         "log in (new password)", "form pages (GET)"]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def row(name: str, values: list[float], unit: float = 1000) -> str:
    if not values:
        return f"  {name:28} (no samples)"
    return (f"  {name:28} n={len(values):5}  p50 {percentile(values, 50) * unit:8.1f}  "
            f"p95 {percentile(values, 95) * unit:8.1f}  p99 {percentile(values, 99) * unit:8.1f}  "
            f"max {max(values) * unit:8.1f}")


def proc_figures(pid: int) -> tuple[int, float]:
    """(peak RSS in KiB, CPU seconds user+system) of the server process."""
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return hwm, (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15 of stat)


def hash_costs() -> str:
    """The PBKDF2 costs the accounts' stored hashes say they were made with."""
    try:
        db = sqlite3.connect(f"file:{data_dir / 'accounts.sqlite'}?mode=ro", uri=True, timeout=10)
        costs = sorted({h.split("$")[0] + " " + h.split("$")[1] for (h,) in db.execute("SELECT password_hash FROM account")})
        db.close()
        return ", ".join(costs) or "(no accounts)"
    except Exception as error:  # noqa: BLE001 - figures only
        return f"(could not read accounts.sqlite: {error})"


# ------------------------------------------------------------------------ page GETs in the background


class PageProbe(threading.Thread):
    PAGES = ["/v2/index.html", "/v2/login.html"]

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.running = threading.Event()
        self.stopped = threading.Event()

    def run(self) -> None:
        http = Http(base, timeout=60)
        turn = 0
        while not self.stopped.is_set():
            path = self.PAGES[turn % len(self.PAGES)]
            turn += 1
            began = time.perf_counter()
            try:
                reply = http.get(path)
                took = time.perf_counter() - began
                if reply.status != 200:
                    self.errors.append(f"GET {path}: {reply.status}")
                elif self.running.is_set():
                    self.samples[path].append(took)
            except OSError as error:
                self.errors.append(f"GET {path}: {error}")
            time.sleep(0.02)


def idle_page_figures() -> dict[str, list[float]]:
    http = Http(base)
    samples: dict[str, list[float]] = defaultdict(list)
    for i in range(100):
        path = PageProbe.PAGES[i % 2]
        began = time.perf_counter()
        http.get(path)
        samples[path].append(time.perf_counter() - began)
    return samples


# ------------------------------------------------------------------------ one participant, one round


def participant_round(card: Card, round_: int, start: threading.Barrier, times: dict, errors: list, used: dict) -> None:
    who = HttpParticipant(base, card)

    def timed(name, call, *, form=True):
        began = time.perf_counter()
        result = call()
        took = time.perf_counter() - began
        if form:  # a form: its page GET apart, the press until the next page as the step
            get_seconds, post_seconds = who.last_timing
            times["form pages (GET)"].append(get_seconds)
            times[name].append(post_seconds)
        else:
            times[name].append(took)
        return result

    try:
        start.wait(timeout=300)
        timed("join (card link)", lambda: who.join(to_mailbox=False), form=False)
        before = set(who.mailbox())
        timed("log in", lambda: who.log_in(card.password))
        timed("log out", who.log_out)
        for attempt in range(1, 6):
            timed("wrong password 5 (locks)" if attempt == 5 else "wrong password 1-4", lambda: who.wrong_password(attempt))
        timed("request reset", who.request_reset)
        mail_id = timed("mail in own mailbox", lambda: who.wait_for_mail(before, timeout=300), form=False)
        key = timed("read key (message page)", lambda: who.read_key(mail_id), form=False)
        password = new_password_for(card, round_)
        timed("complete reset", lambda: who.complete_reset(password, key))
        timed("log in (new password)", lambda: who.log_in(password))
        used[card.id] = (mail_id, key)
    except Exception as error:  # noqa: BLE001 - counted, the round goes on
        detail = str(error) if isinstance(error, StepFailed) else f"{type(error).__name__}: {error}"
        errors.append(f"round {round_} {card.id}: {detail[:300]}")
        if not isinstance(error, StepFailed):
            errors.append(traceback.format_exc()[-600:])


def delivered(trainer: Trainer, cards: list[Card], used: dict) -> tuple[int, list[str]]:
    """Participants whose one reset mail of this round is in their own mailbox and nowhere else,
    with the key they used."""
    problems = []
    messages = [m for m in trainer.messages() if m["Subject"] == RESET_SUBJECT]
    by_email: dict[str, list[str]] = defaultdict(list)
    for m in messages:
        for address in m["To"]:
            by_email[address["Address"]].append(m["ID"])
    right = 0
    for card in cards:
        mine = by_email.get(card.email, [])
        who = HttpParticipant(base, card)
        who.join(to_mailbox=True)
        listed = who.mailbox()
        key_ok = False
        if len(mine) == 1 and card.id in used and used[card.id][0] == mine[0]:
            found = KEY_LINE.search(trainer.message(mine[0])["Text"])
            key_ok = bool(found and found.group(1) == used[card.id][1])
        if len(mine) == 1 and listed == mine and key_ok:
            right += 1
        else:
            problems.append(f"{card.email}: sink has {mine}, mailbox lists {listed}, used {used.get(card.id)}")
    if len(messages) != len(cards):
        problems.append(f"{len(messages)} reset mails in the sink for {len(cards)} participants")
    return right, problems


# ------------------------------------------------------------------------ main


def main() -> None:
    trainer = Trainer(base)
    trainer.remove_all()
    trainer.delete_all_mail()
    rss0, cpu0 = proc_figures(server_pid)
    began = time.perf_counter()
    trainer.create(participants)
    created = time.perf_counter() - began
    cards = trainer.cards()
    print(f"participants: {participants} created through /trainer/class in {created:.2f} s; "
          f"{len(cards)} cards read (QR codes decoded)")
    idle = idle_page_figures()

    probe = PageProbe()
    probe.start()
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    round_report = []
    _, cpu_start = proc_figures(server_pid)
    wall_start = time.perf_counter()
    for round_ in range(1, rounds + 1):
        if round_ > 1:
            reset_began = time.perf_counter()
            trainer.reset_all()
            trainer.delete_all_mail()
            reset_seconds = time.perf_counter() - reset_began
        else:
            reset_seconds = 0.0
        used: dict[str, tuple[str, str]] = {}
        start = threading.Barrier(len(cards))
        threads = [threading.Thread(target=participant_round, args=(card, round_, start, times, errors, used), daemon=True)
                   for card in cards]
        probe.running.set()
        round_began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=900)
        round_seconds = time.perf_counter() - round_began
        probe.running.clear()
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            errors.append(f"round {round_}: {stuck} participants still running after 900 s")
        right, problems = delivered(trainer, cards, used)
        errors.extend(f"round {round_} delivery: {p}" for p in problems)
        round_report.append((round_, round_seconds, len(used), right, reset_seconds))
    wall = time.perf_counter() - wall_start
    probe.stopped.set()
    probe.join(timeout=60)
    rss, cpu = proc_figures(server_pid)

    print(f"password hash in use: {hash_costs()}")
    print()
    for round_, seconds, finished, right, reset_seconds in round_report:
        extra = f", reset-all + mail cleared before it in {reset_seconds:.2f} s" if round_ > 1 else ""
        print(f"round {round_}: {seconds:6.1f} s, {finished}/{len(cards)} finished, "
              f"mails delivered to the right mailbox {right}/{len(cards)} (target {len(cards)}/{len(cards)}){extra}")
    print()
    print(f"per step, all rounds (ms; a form step is the press until the next page has loaded):")
    for step in STEPS:
        print(row(step, times.get(step, [])))
    logins = times.get("log in", []) + times.get("log in (new password)", [])
    print(row("all logins (both kinds)", logins))
    print()
    print("page GETs while the class ran (ms, one at a time, new connection each):")
    for path in PageProbe.PAGES:
        print(row(path, probe.samples.get(path, [])))
    print(row("both pages", [t for p in PageProbe.PAGES for t in probe.samples.get(p, [])]))
    print("page GETs before the class started (idle, same client):")
    for path in PageProbe.PAGES:
        print(row(path, idle[path]))
    print()
    page_p95 = percentile([t for p in PageProbe.PAGES for t in probe.samples.get(p, [])], 95) * 1000
    static_p95 = percentile(probe.samples.get("/v2/index.html", []), 95) * 1000
    live_p95 = percentile(probe.samples.get("/v2/login.html", []), 95) * 1000
    print(f"targets: page GET p95 < 50 ms: both {page_p95:.1f} ms (static {static_p95:.1f}, live login page {live_p95:.1f}); "
          f"login p95 < 3 s: {percentile(logins, 95):.2f} s; errors 0: {len(errors)}")
    print(f"errors: {len(errors)} (page GET errors: {len(probe.errors)})")
    for line in (errors + probe.errors)[:20]:
        print("  " + line.replace("\n", "\n  "))
    if len(errors) + len(probe.errors) > 20:
        print(f"  … and {len(errors) + len(probe.errors) - 20} more")
    print(f"server: peak RSS (VmHWM) {rss / 1024:.1f} MiB (before creating participants {rss0 / 1024:.1f} MiB); "
          f"CPU {cpu:.1f} s in all ({cpu - cpu_start:.1f} s during the {rounds} rounds, {wall:.1f} s of wall time: "
          f"{(cpu - cpu_start) / wall:.2f} cores busy on average; {os.cpu_count()} cores here)")


if __name__ == "__main__":
    main()
