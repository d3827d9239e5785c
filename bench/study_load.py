#!/usr/bin/env python3
"""The server's recording under load (issue #15), driven against a running `kenshu serve` by
bench/study.sh. Subcommands:

  setup BASE STATE.json
      The facilitator (loopback, /facilitator) creates one study participant, the participant's
      browser joins with the link the console shows (`/join/SECRET?to=study`), the facilitator
      prepares `login` and the browser starts it (`POST /study/start`): an attempt runs. The
      trainer also creates one classroom participant (/trainer/class) who is in no study, and an
      anonymous browser GETs /v2/login.html for the flow's CSRF cookie and token. Writes what the
      wrk runs need to STATE.json and prints it as shell assignments (for `eval`).
  restart BASE STATE.json
      Prepares `login` again and starts it (the task's time limit is 300 s: each round of the wrk
      runs gets an attempt that runs throughout). Prints the running attempt.
  count BASE STATE.json
      The study participant's events in /facilitator/events.json, by type, as JSON on stdout.
  report WORK STATE.json BEFORE.json AFTER.json ROUNDS
      Reads WORK/wrk/*.wrk (the runs bench/study.sh made) and prints, per configuration, the
      median req/s and p99 of the rounds, the on/off ratios and p99 differences against the
      issue's targets (throughput within 5 %, p99 within 1 ms), every non-2xx/3xx answer and
      socket error, and the events the store gained against the requests wrk completed.
  ingest BASE PARTICIPANTS SECONDS BATCH
      PARTICIPANTS new study participants are created, joined, and `login` prepared and started
      for each; then all of them at once POST click batches of BATCH events to /study/events for
      SECONDS, each its own stream with increasing numbers, a batch resent with the same numbers
      after a connection error (as the page's script does). Then /facilitator/events.json is
      read: events/s accepted, sent vs stored per participant, lost = sent - stored, duplicates.

  class-setup BASE PARTICIPANTS CLASS.json
      A class for the next command: PARTICIPANTS study participants created, joined, `login`
      prepared and started; their ids, cookies and attempts saved in CLASS.json.
  browse BASE CLASS.json SECONDS INTERVAL MODE
      The class at work for SECONDS: every participant, each on its own connection, GETs a page
      (/v2/index.html and /v2/login.html in turn) and POSTs one click to /study/events every
      INTERVAL seconds — a brisk class, faster than people read. MODE `recorded`: with their
      cookies (a recorded page view with the task bar, a stored click); `anonymous`: the very same
      requests without them (pages as built, the click refused with 403): the same load on this
      machine's 2 cores, nothing recorded. Prints how many were answered and any failure.
      bench/study.sh runs it beside wrk.
  compare WORK ROUNDS
      Reads WORK/wrk/{index,login}-{quiet,class}-N.wrk and prints the median req/s and p99 of
      everyone else's pages (no cookie) while the class's requests are recorded against the same
      while the same requests come anonymously.

Figures only: nothing is asserted. Needs `requests` (the repository's .venv).
"""

from __future__ import annotations

import html
import http.client
import json
import re
import shlex
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

import requests

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SEEKER = re.compile(r'<select[^>]*name="seeker"[^>]*>\s*<option value="([^"]+)"')
JOIN = re.compile(r'href="(http://[^"]*/join/[^"]*\?to=study)"')
CODE = re.compile(r"(アカウント|初期パスワード) <code>([^<]*)</code>")
CARD_LOGIN = re.compile(r'<section class="card" data-participant="([^"]+)" data-login="([^"]+)"')
TASK = "login"


class Failed(RuntimeError):
    pass


def session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # no proxy for 127.0.0.1
    return s


def token(text: str, where: str) -> str:
    found = TOKEN.search(text)
    if not found:
        raise Failed(f"{where}: no csrf_token on the page")
    return html.unescape(found.group(1))


# ------------------------------------------------------------------------------ the facilitator


class Facilitator:
    def __init__(self, base: str):
        self.base = base
        self.http = session()
        console = self.http.get(base + "/facilitator")
        if console.status_code != 200:
            raise Failed(f"GET /facilitator: {console.status_code}")
        self.csrf = token(console.text, "/facilitator")
        seeker = SEEKER.search(console.text)
        if not seeker:
            raise Failed("/facilitator: no <select name=seeker> with an option")
        self.seeker = html.unescape(seeker.group(1))

    def create(self) -> dict:
        """A new study participant: id, join link, account and initial password as the console shows them."""
        made = self.http.post(self.base + "/facilitator/participants", data={"csrf_token": self.csrf, "seeker": self.seeker},
                              allow_redirects=False)
        location = made.headers.get("location", "")
        if made.status_code != 303 or not location.startswith("/facilitator/participants/"):
            raise Failed(f"POST /facilitator/participants: {made.status_code} -> {location!r}")
        page = self.http.get(self.base + location)
        join = JOIN.search(page.text)
        codes = dict(CODE.findall(page.text))
        if page.status_code != 200 or not join:
            raise Failed(f"GET {location}: {page.status_code}, join link {'found' if join else 'missing'}")
        return {"id": location.rsplit("/", 1)[-1], "join": html.unescape(join.group(1)),
                "email": html.unescape(codes.get("アカウント", "")), "password": html.unescape(codes.get("初期パスワード", ""))}

    def prepare(self, participant: str, task: str = TASK) -> None:
        done = self.http.post(f"{self.base}/facilitator/participants/{participant}/prepare",
                              data={"csrf_token": self.csrf, "task": task}, allow_redirects=False)
        if done.status_code != 303 or "done=prepared" not in done.headers.get("location", ""):
            raise Failed(f"prepare {task} for {participant}: {done.status_code} -> {done.headers.get('location')!r}")


class Browser:
    """A study participant's browser: the card's cookie and its own CSRF cookie."""

    def __init__(self, base: str, cookies: dict | None = None):
        self.base = base
        self.http = session()
        if cookies:
            for name, value in cookies.items():
                self.http.cookies.set(name, value, domain=urllib.parse.urlparse(base).hostname, path="/")

    def join(self, link: str) -> None:
        reply = self.http.get(link, allow_redirects=False)
        if reply.status_code not in (302, 303) or reply.headers.get("location") != "/study" or "kenshu_participant" not in self.http.cookies:
            raise Failed(f"GET {link}: {reply.status_code} -> {reply.headers.get('location')!r}, cookie set: {'kenshu_participant' in self.http.cookies}")

    def start(self) -> str:
        page = self.http.get(self.base + "/study")
        if page.status_code != 200:
            raise Failed(f"GET /study: {page.status_code}")
        started = self.http.post(self.base + "/study/start", data={"csrf_token": token(page.text, "/study")}, allow_redirects=False)
        if started.status_code != 303:
            raise Failed(f"POST /study/start: {started.status_code}")
        state = self.http.get(self.base + "/study/state").json()
        if state.get("state") != "running" or not state.get("attempt"):
            raise Failed(f"after 開始 /study/state says {state}")
        return state["attempt"]

    @property
    def cookies(self) -> dict:
        return {c.name: c.value for c in self.http.cookies}


def events_json(base: str) -> dict:
    reply = session().get(base + "/facilitator/events.json", timeout=600)
    if reply.status_code != 200:
        raise Failed(f"GET /facilitator/events.json: {reply.status_code}")
    return reply.json()


# ------------------------------------------------------------------------------ recording cost


def setup(base: str, state_path: str) -> None:
    facilitator = Facilitator(base)
    made = facilitator.create()
    browser = Browser(base)
    browser.join(made["join"])
    facilitator.prepare(made["id"])
    attempt = browser.start()
    cookies = browser.cookies
    # The participant's login page: its csrf_token is the participant's CSRF cookie.
    login = browser.http.get(base + "/v2/login.html")
    if login.status_code != 200:
        raise Failed(f"participant GET /v2/login.html: {login.status_code}")
    participant_token = token(login.text, "participant /v2/login.html")

    # A classroom participant in no study: the trainer's form, then the card's link.
    trainer = session()
    page = trainer.get(base + "/trainer/class")
    created = trainer.post(base + "/trainer/class/create",
                           data={"csrf_token": token(page.text, "/trainer/class"), "count": "1", "names": "", "seeker": "asu",
                                 "state": "fresh", "prefix": "trainee", "domain": "example.jp"})
    if created.status_code != 200 or "done=created" not in created.url:
        raise Failed(f"POST /trainer/class/create: {created.status_code} at {created.url}")
    cards = dict(CARD_LOGIN.findall(trainer.get(base + "/trainer/cards").text))
    trainee = next((link for who, link in cards.items() if who.startswith("trainee")), None)
    if trainee is None:
        raise Failed("/trainer/cards shows no trainee card")
    card = session()
    joined = card.get(html.unescape(trainee), allow_redirects=False)
    if joined.status_code not in (302, 303) or "kenshu_participant" not in card.cookies:
        raise Failed(f"classroom card link: {joined.status_code}")

    anonymous = session()
    anonymous_login = anonymous.get(base + "/v2/login.html")
    state = {
        "participant": made["id"],
        "attempt": attempt,
        "account": made["email"],
        "participant_cookie": "; ".join(f"{name}={value}" for name, value in sorted(cookies.items())),
        "participant_token": participant_token,
        "classroom_cookie": f"kenshu_participant={card.cookies['kenshu_participant']}",
        "anonymous_cookie": f"kenshu_csrf={anonymous.cookies['kenshu_csrf']}",
        "anonymous_token": token(anonymous_login.text, "anonymous /v2/login.html"),
    }
    Path(state_path).write_text(json.dumps({**state, "cookies": cookies}, ensure_ascii=False, indent=1))
    for name, value in state.items():
        print(f"{name.upper()}={shlex.quote(value)}")


def restart(base: str, state_path: str) -> None:
    state = json.loads(Path(state_path).read_text())
    Facilitator(base).prepare(state["participant"])
    print(Browser(base, state["cookies"]).start())


def count(base: str, state_path: str) -> None:
    state = json.loads(Path(state_path).read_text())
    log = events_json(base)
    mine = Counter(e["type"] for e in log["events"] if e["participant"] == state["participant"])
    others = Counter(e["type"] for e in log["events"] if e["participant"] != state["participant"])
    views = Counter(e.get("path") for e in log["events"] if e["participant"] == state["participant"] and e["type"] == "page_view")
    json.dump({"types": mine, "others": others, "views": views, "total": len(log["events"])}, sys.stdout)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def read_wrk(path: Path) -> dict:
    text = path.read_text()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    done = re.search(r"^\s+(\d+) requests in", text, re.M)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    statuses = re.search(r"^statuses: (.*)$", text, re.M)
    if not (rps and p99 and done):
        raise Failed(f"{path}: not a wrk --latency report:\n{text}")
    return {"rps": float(rps.group(1)), "p99": float(p99.group(1)) * UNITS[p99.group(2)], "requests": int(done.group(1)),
            "non2xx": int(bad.group(1)) if bad else 0, "errors": errors.group(0) if errors else "",
            "statuses": statuses.group(1) if statuses else ""}


def report(work: str, state_path: str, before_path: str, after_path: str, rounds: int) -> None:
    state = json.loads(Path(state_path).read_text())
    before, after = json.loads(Path(before_path).read_text()), json.loads(Path(after_path).read_text())
    folder = Path(work) / "wrk"
    configurations = [
        ("GET /v2/index.html (static page)", "index", [("off", "no cookie"), ("card", "classroom card, no study"),
                                                        ("on", "study participant, attempt running")]),
        ("GET /v2/login.html (flow page)", "login", [("off", "no cookie"), ("card", "classroom card, no study"),
                                                      ("on", "study participant, attempt running")]),
        ("POST /v2/login.html (login form, unknown ID: login_failed each time)", "post",
         [("off", "no participant cookie"), ("on", "study participant, attempt running")]),
    ]
    surprises: list[str] = []
    completed = Counter()  # requests wrk completed in the "on" runs (warm-up included), per name
    print(f"{'':44}{'req/s':>9}  {'p99 ms':>7}   (per run: req/s / p99 ms)")
    for title, name, variants in configurations:
        print(title)
        medians, all_runs = {}, {}
        for variant, label in variants:
            runs = all_runs[variant] = [read_wrk(folder / f"{name}-{variant}-{r}.wrk") for r in range(1, rounds + 1)]
            warm = folder / f"{name}-{variant}-warm.wrk"
            if variant == "on":
                completed[name] += sum(r["requests"] for r in runs) + (read_wrk(warm)["requests"] if warm.exists() else 0)
            rps, p99 = statistics.median(r["rps"] for r in runs), statistics.median(r["p99"] for r in runs)
            medians[variant] = (rps, p99)
            each = ", ".join(f"{r['rps']:.0f}/{r['p99']:.2f}" for r in runs)
            print(f"  {label:42}{rps:9.0f}  {p99:7.2f}   ({each})")
            for r_index, r in enumerate(runs, 1):
                if name == "post":  # every answer is the form again (422); the lua script counts them
                    if not r["statuses"] or any(not part.startswith("422=") for part in r["statuses"].split()):
                        surprises.append(f"{name}-{variant} round {r_index}: answers {r['statuses'] or '?'} (expected only 422)")
                elif r["non2xx"]:
                    surprises.append(f"{name}-{variant} round {r_index}: {r['non2xx']} non-2xx/3xx answers")
                if r["errors"]:
                    surprises.append(f"{name}-{variant} round {r_index}: {r['errors']}")
        off_rps, off_p99 = medians["off"]
        spread = {v: (max(r["rps"] for r in rs) - min(r["rps"] for r in rs)) / medians[v][0] * 100 if medians[v][0] else 0
                  for v, rs in all_runs.items()}
        for variant, label in ((v, l) for v, l in variants if v != "off"):
            rps, p99 = medians[variant]
            ratio, diff = rps / off_rps, p99 - off_p99
            verdict = "met" if ratio >= 0.95 and diff <= 1.0 else "NOT met"
            what = "on/off" if variant == "on" else "card/off"
            print(f"  {what:9} throughput {ratio:6.3f}x ({(ratio - 1) * 100:+.1f} %), p99 {diff:+8.2f} ms"
                  + (f"   target (within 5 %, p99 within 1 ms): {verdict}" if variant == "on" else "   (the cost of leaving the fast path)"))
        print(f"  req/s spread between the rounds (max - min) / median: "
              + ", ".join(f"{v} {spread[v]:.0f} %" for v, _ in variants)
              + ("; the POST: one password hash each (--password-hash-iterations), 64 queued" if name == "post" else ""))
        if name == "post":
            statuses = {v: read_wrk(folder / f"post-{v}-1.wrk")["statuses"] for v, _ in variants}
            print(f"  answers of round 1: off {statuses['off']}; on {statuses['on']} (422: the form again, ID or password wrong)")

    def gained(kind: str, path: str | None = None) -> int:
        if path:
            return after["views"].get(path, 0) - before["views"].get(path, 0)
        return after["types"].get(kind, 0) - before["types"].get(kind, 0)

    print()
    print(f"recorded for {state['participant']} during the runs (events.json before and after; wrk's completed requests "
          f"of the 'on' runs, warm-ups included; a request still in flight when wrk stops is recorded but not counted by wrk, "
          f"at most one per connection and run):")
    views_index, views_login = gained("page_view", "v2/index.html"), gained("page_view", "v2/login.html")
    rows = [
        ("page_view /v2/index.html", views_index, completed["index"]),
        ("page_view /v2/login.html", views_login, completed["login"] + completed["post"]),
        ("form_submitted", gained("form_submitted"), completed["post"]),
        ("login_failed", gained("login_failed"), completed["post"]),
    ]
    for label, stored, requests_ in rows:
        print(f"  {label:26} stored {stored:8}  requests completed {requests_:8}  stored - completed {stored - requests_:+6}")
    print(f"  (/v2/login.html page views: the GETs plus the POSTs' rerendered form; the store holds "
          f"{after['types'].get('page_view', 0)} page_view events of {state['participant']} in all, {after['total']} events in all)")
    other = {k: v - before['others'].get(k, 0) for k, v in after["others"].items() if v - before["others"].get(k, 0)}
    print(f"  events recorded for anyone else during the runs (the 'off' and 'card' runs must add none): {other or 'none'}")
    print()
    print(f"surprises (non-2xx/3xx answers, socket errors): {len(surprises)}")
    for line in surprises:
        print("  " + line)


# ------------------------------------------------------------------------------ ingest


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5))) - 1]


class Clicker(threading.Thread):
    """One participant's page: batches of `batch` clicks, numbered from 1 in its own stream, POSTed
    one after the other on a keep-alive connection for `seconds`. After a connection error the
    same batch (same numbers) goes again on a new connection, as the page's script does."""

    def __init__(self, host: str, port: int, secret: str, attempt: str, stream: str, batch: int,
                 seconds: float, barrier: threading.Barrier):
        super().__init__(daemon=True)
        self.host, self.port, self.secret, self.attempt, self.stream = host, port, secret, attempt, stream
        self.batch, self.seconds, self.barrier = batch, seconds, barrier
        self.sent = 0  # numbers 1..sent were POSTed at least once
        self.accepted = 0
        self.duplicates = 0
        self.connection_errors = 0
        self.resends = 0
        self.statuses: Counter = Counter()
        self.problems: list[str] = []
        self.latencies: list[float] = []
        self.stopped_early = False

    def body(self, first: int) -> bytes:
        events = [{"number": n, "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z", "attempt": self.attempt,
                   "type": "click", "element": "p.lead", "x": 10 + n % 300, "y": 20 + n % 700, "viewport_width": 390,
                   "viewport_height": 844, "interactive": False, "page": "/v2/login.html"}
                  for n in range(first, first + self.batch)]
        return json.dumps({"stream": self.stream, "events": events}).encode()

    def run(self) -> None:
        headers = {"Content-Type": "application/json", "Cookie": f"kenshu_participant={self.secret}"}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.barrier.wait()
        deadline = time.monotonic() + self.seconds
        first = 1
        while time.monotonic() < deadline:
            body = self.body(first)
            last = first + self.batch - 1
            tries = 0
            while True:
                tries += 1
                self.sent = max(self.sent, last)
                began = time.perf_counter()
                try:
                    connection.request("POST", "/study/events", body=body, headers=headers)
                    reply = connection.getresponse()
                    text = reply.read()
                except (OSError, http.client.HTTPException) as error:
                    self.connection_errors += 1
                    if len(self.problems) < 3:
                        self.problems.append(f"{self.stream} #{first}-{last}: {type(error).__name__}: {error}")
                    connection.close()
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                    self.resends += 1
                    time.sleep(min(0.05 * tries, 1))
                    continue
                self.latencies.append(time.perf_counter() - began)
                self.statuses[reply.status] += 1
                if reply.status == 200:
                    receipt = json.loads(text)
                    self.accepted += receipt["accepted"]
                    self.duplicates += self.batch - receipt["accepted"]
                    if receipt["acknowledged"] != last or receipt["missing"]:
                        if len(self.problems) < 3:
                            self.problems.append(f"{self.stream} #{first}-{last}: receipt {receipt}")
                    break
                if len(self.problems) < 3:
                    self.problems.append(f"{self.stream} #{first}-{last}: {reply.status} {text[:200]!r}")
                if reply.status >= 500 and tries < 20:  # the page's script keeps the batch and tries again
                    self.resends += 1
                    time.sleep(min(0.05 * tries, 1))
                    continue
                self.stopped_early = True  # 4xx: the page would stop sending
                connection.close()
                return
            first = last + 1
        connection.close()


def ingest(base: str, participants: int, seconds: float, batch: int) -> None:
    url = urllib.parse.urlparse(base)
    facilitator = Facilitator(base)
    began = time.perf_counter()
    people = []
    for _ in range(participants):
        made = facilitator.create()
        browser = Browser(base)
        browser.join(made["join"])
        facilitator.prepare(made["id"])
        attempt = browser.start()
        people.append((made["id"], browser.cookies["kenshu_participant"], attempt))
    print(f"ingest: {participants} study participants created, joined, {TASK!r} prepared and started through "
          f"/facilitator and /study in {time.perf_counter() - began:.1f} s ({people[0][0]}..{people[-1][0]})")
    before = events_json(base)
    ids = {p for p, _, _ in people}
    stale = sum(1 for e in before["events"] if e["participant"] in ids and e["type"] == "click")
    barrier = threading.Barrier(participants + 1)
    clickers = [Clicker(url.hostname, url.port or 80, secret, attempt, f"bench-{pid}", batch, seconds, barrier)
                for pid, secret, attempt in people]
    for clicker in clickers:
        clicker.start()
    barrier.wait()
    started = time.perf_counter()
    for clicker in clickers:
        clicker.join(timeout=seconds + 300)
    wall = time.perf_counter() - started
    stuck = sum(c.is_alive() for c in clickers)

    log = events_json(base)
    stored_numbers: dict[str, list[int]] = defaultdict(list)
    for event in log["events"]:
        if event["participant"] in ids and event["type"] == "click":
            client = event.get("client") or {}
            stored_numbers[event["participant"]].append(client.get("number"))
    sent = sum(c.sent for c in clickers)
    accepted = sum(c.accepted for c in clickers)
    stored = sum(len(set(n)) for n in stored_numbers.values())
    stored_twice = sum(len(n) - len(set(n)) for n in stored_numbers.values())
    beyond = sum(1 for (pid, _, _), c in zip(people, clickers) for n in set(stored_numbers[pid]) if not 1 <= n <= c.sent)
    per_participant = [(pid, c.sent, len(set(stored_numbers[pid]))) for (pid, _, _), c in zip(people, clickers)]
    short = [(pid, s, k) for pid, s, k in per_participant if s != k]
    latencies = [t for c in clickers for t in c.latencies]
    statuses = sum((c.statuses for c in clickers), Counter())
    batches = sum(statuses.values())
    print(f"ingest: {participants} participants at once, batches of {batch} clicks to /study/events for {seconds:.0f} s "
          f"(each its own stream and keep-alive connection; {wall:.1f} s until the last batch was answered)")
    print(f"  accepted {accepted} events in {batches} batches: {accepted / wall:.0f} events/s, {batches / wall:.0f} batches/s; "
          f"batch round trip p50 {percentile(latencies, 50) * 1000:.1f} ms, p95 {percentile(latencies, 95) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.1f} ms, max {max(latencies, default=0) * 1000:.1f} ms")
    print(f"  per participant: {min(s for _, s, _ in per_participant)}..{max(s for _, s, _ in per_participant)} events sent")
    print(f"  sent {sent}, stored {stored} (distinct stream numbers among the click events in events.json), "
          f"lost = sent - stored = {sent - stored} (target 0); participants with sent != stored: {len(short)}"
          + (f" {short[:5]}" if short else ""))
    print(f"  duplicates: {sum(c.duplicates for c in clickers)} resent numbers ignored by the server "
          f"({sum(c.resends for c in clickers)} batches resent after {sum(c.connection_errors for c in clickers)} "
          f"connection errors); stored twice: {stored_twice}; stored but never sent: {beyond}; "
          f"clicks of these participants before the load: {stale}")
    print(f"  answers: {dict(sorted(statuses.items()))}; participants stopped early by a 4xx: "
          f"{sum(c.stopped_early for c in clickers)}; still running: {stuck}")
    problems = [p for c in clickers for p in c.problems]
    if problems:
        print(f"  problems ({len(problems)} shown, at most 3 per participant):")
        for line in problems[:20]:
            print("    " + line)
    print(f"  the store now holds {len(log['events'])} events of {len(log['participants'])} participants")


# ------------------------------------------------------------------------------ a class at work


def class_setup(base: str, participants: int, path: str) -> None:
    facilitator = Facilitator(base)
    people = []
    for _ in range(participants):
        made = facilitator.create()
        browser = Browser(base)
        browser.join(made["join"])
        facilitator.prepare(made["id"])
        attempt = browser.start()
        people.append({"id": made["id"], "attempt": attempt, "cookie": "; ".join(f"{k}={v}" for k, v in sorted(browser.cookies.items()))})
    Path(path).write_text(json.dumps(people))
    print(f"class: {participants} study participants ({people[0]['id']}..{people[-1]['id']}), 'login' running for each")


def browse(base: str, path: str, seconds: float, interval: float, mode: str) -> None:
    url = urllib.parse.urlparse(base)
    people = json.loads(Path(path).read_text())
    if mode == "anonymous":
        people = [{**person, "cookie": "kenshu_csrf=0"} for person in people]
    answered: Counter = Counter()
    problems: list[str] = []
    lock = threading.Lock()

    def work(person: dict, offset: float) -> None:
        time.sleep(offset)
        connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
        stream = f"class-{person['id']}-{time.time_ns()}"
        number, deadline, turn = 0, time.monotonic() + seconds - offset, 0
        while time.monotonic() < deadline:
            began = time.monotonic()
            page = ("/v2/index.html", "/v2/login.html")[turn % 2]
            turn += 1
            number += 1
            click = {"number": number, "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z",
                     "attempt": person["attempt"], "type": "click", "element": "a.hw-button", "x": 40, "y": 300,
                     "viewport_width": 390, "viewport_height": 844, "interactive": True, "page": page}
            try:
                connection.request("GET", page, headers={"Cookie": person["cookie"]})
                reply = connection.getresponse()
                reply.read()
                connection.request("POST", "/study/events", body=json.dumps({"stream": stream, "events": [click]}),
                                   headers={"Cookie": person["cookie"], "Content-Type": "application/json"})
                posted = connection.getresponse()
                posted.read()
                with lock:
                    answered[f"GET {reply.status}"] += 1
                    answered[f"POST {posted.status}"] += 1
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    answered["error"] += 1
                    if len(problems) < 5:
                        problems.append(f"{person['id']}: {type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
            time.sleep(max(0.0, interval - (time.monotonic() - began)))
        connection.close()

    threads = [threading.Thread(target=work, args=(person, interval * i / len(people)), daemon=True)
               for i, person in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    print(f"class at work ({mode}): {len(people)} participants for {seconds:.0f} s, each a page view and a click every {interval} s: "
          + ", ".join(f"{k} ×{v}" for k, v in sorted(answered.items())) + (f"; problems: {problems}" if problems else ""))


def compare(work: str, rounds: int) -> None:
    folder = Path(work) / "wrk"
    for title, name in (("GET /v2/index.html (static page)", "index"), ("GET /v2/login.html (flow page)", "login")):
        print(title + ", no cookie (everyone else's pages)")
        medians = {}
        for mode, label in (("quiet", "the class's requests, anonymous"), ("class", "the class's requests, recorded")):
            runs = [read_wrk(folder / f"{name}-{mode}-{r}.wrk") for r in range(1, rounds + 1)]
            rps = statistics.median(r["rps"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            medians[mode] = (rps, p99)
            bad = sum(r["non2xx"] for r in runs)
            print(f"  {label:<44} {rps:8.0f} req/s  p99 {p99:7.2f} ms   ("
                  + ", ".join(f"{r['rps']:.0f}/{r['p99']:.2f}" for r in runs) + ")" + (f"  non-2xx/3xx: {bad}" if bad else ""))
        (quiet_rps, quiet_p99), (class_rps, class_p99) = medians["quiet"], medians["class"]
        ratio = class_rps / quiet_rps
        met = "met" if ratio >= 0.95 and class_p99 - quiet_p99 <= 1 else "NOT met"
        print(f"  recorded/anonymous throughput {ratio:.3f}x ({(ratio - 1) * 100:+.1f} %), p99 {class_p99 - quiet_p99:+.2f} ms   "
              f"target (within 5 %, p99 within 1 ms): {met}")


def main() -> None:
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup(*args)
    elif command == "restart":
        restart(*args)
    elif command == "count":
        count(*args)
    elif command == "report":
        report(args[0], args[1], args[2], args[3], int(args[4]))
    elif command == "class-setup":
        class_setup(args[0], int(args[1]), args[2])
    elif command == "browse":
        browse(args[0], args[1], float(args[2]), float(args[3]), args[4])
    elif command == "compare":
        compare(args[0], int(args[1]))
    elif command == "ingest":
        ingest(args[0], int(args[1]), float(args[2]), int(args[3]))
    else:
        sys.exit(f"study_load.py: unknown command {command}")


if __name__ == "__main__":
    try:
        main()
    except Failed as failure:
        sys.exit(f"bench/study_load.py: {failure}")
