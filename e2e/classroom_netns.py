"""The two sides of e2e/test_classroom.py's real network test, each run inside its own network
namespace by `ip netns exec NS .venv/bin/python e2e/classroom_netns.py COMMAND JSON`. Each prints
one JSON object on stdout (the test asserts on it); a step that fails is reported, not raised.

- `trainer` (server namespace, on its loopback like the trainer's laptop): waits for the server,
  creates participants through /trainer/class, reads /trainer/cards (ID, password, both QR codes
  decoded), and has the 2nd participant request a password reset, so a mail of theirs exists.
- `phone` (phone namespace, over the veth pair only): Chromium at 390 × 844 (mobile, touch) opens
  the 1st participant's card link on the LAN address, logs in, logs out, locks the account with 5
  wrong passwords, resets the password with the 認証キー read from its own mailbox in another tab,
  logs in with the new password; then tries the trainer's pages and the 2nd participant's
  mailbox (their mail's id with its own cookie, forged secrets).
- `report` (server namespace): the sink's messages (the trainer's API) and the participants' rows
  of /trainer/class.
"""

from __future__ import annotations

import json
import re
import sys
import time
import traceback
import urllib.parse
from pathlib import Path

from classroom_kit import (PARTICIPANT_COOKIE, BrowserParticipant, Card, HttpParticipant, StepFailed,
                           Trainer, launch_chromium, phone_context)

TRAINER_PATHS = ["/trainer", "/trainer/class", "/trainer/cards", "/mail", "/api/v1/messages", "/facilitator"]


def trainer(args: dict) -> dict:
    base = args["base"]
    out: dict = {"steps": []}
    boss = Trainer(base)
    deadline = time.monotonic() + 90
    while True:
        try:
            if boss.http.get("/v2/login.html").status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise StepFailed(f"the server did not answer on {base} within 90 s")
        time.sleep(0.2)
    out["steps"].append("server answers on loopback")
    boss.create(args["count"], seeker="asu")
    out["steps"].append(f"created {args['count']} participants through /trainer/class")
    cards = boss.cards()
    out["cards"] = [c.to_json() for c in cards]
    out["steps"].append("read the cards")
    other = HttpParticipant(base, cards[1])
    other.request_reset()
    deadline = time.monotonic() + 60
    while True:
        mails = [m for m in boss.messages() if any(a["Address"] == cards[1].email for a in m["To"])]
        if mails:
            out["other_mail_id"] = mails[0]["ID"]
            break
        if time.monotonic() > deadline:
            raise StepFailed(f"no mail to {cards[1].email} within 60 s")
        time.sleep(0.2)
    out["steps"].append("2nd participant requested a reset; its mail is in the sink")
    return out


def report(args: dict) -> dict:
    """What the trainer sees afterwards: the sink's messages and each participant's row of /trainer/class."""
    boss = Trainer(args["base"])
    messages = boss.messages()
    page = boss.class_page().text
    rows = {}
    for participant in args["ids"]:
        found = re.search(r'(?s)<tr data-participant="' + re.escape(participant) + r'">(.*?)</tr>', page)
        rows[participant] = " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None
    return {"messages": [{"ID": m["ID"], "Subject": m["Subject"], "To": [a["Address"] for a in m["To"]],
                          "Text": boss.message(m["ID"]).get("Text", "")} for m in messages],
            "rows": rows}


def phone(args: dict) -> dict:
    from playwright.sync_api import expect, sync_playwright

    base, card, other = args["base"], Card(**args["card"]), args["other"]
    shots = Path(args["shots"])
    shots.mkdir(parents=True, exist_ok=True)
    out: dict = {"steps": [], "refusals": {}, "other": {}}

    def done(step: str) -> None:
        out["steps"].append(step)

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = phone_context(browser)
        who = BrowserParticipant(context, base, card)
        try:
            who.open_card()
            cookie = next((c for c in context.cookies() if c["name"] == PARTICIPANT_COOKIE), None)
            out["participant_cookie"] = cookie and {"httpOnly": cookie["httpOnly"], "sameSite": cookie["sameSite"]}
            out["viewport_width"] = who.page.evaluate("document.documentElement.clientWidth")
            done("card's sign-in link opened the login page")

            who.log_in(card.password, step="log in with the card's initial password")
            expect(who.page.get_by_role("heading", name="求職者マイページホーム", exact=True)).to_be_visible()
            done("logged in with the initial password")
            who.log_out()
            done("logged out through the ☰ メニュー")

            for attempt in range(1, 6):
                expect_page = "locked.html" if attempt == 5 else "login.html"
                who.log_in(f"Wrong#Pass{attempt}", expect=expect_page, step=f"wrong password #{attempt}")
                if attempt < 5:
                    expect(who.page.get_by_role("alert").filter(has_text="IDまたはパスワードが正しくありません").first).to_be_visible()
            expect(who.page.get_by_role("heading", name="アカウントロック", exact=True)).to_be_visible()
            who.page.screenshot(path=str(shots / "phone-locked.png"), full_page=True)
            done("5 wrong passwords: locked screen")
            who.log_in(card.password, expect="locked.html", step="the right password on a locked account")
            done("the right password does not open the locked account")

            who.request_reset()
            done("requested a reset with its ID")
            key, mail_id, tab = who.key_from_mailbox(keep_open=True)
            out["key"], out["mail_id"] = key, mail_id
            tab.screenshot(path=str(shots / "phone-mail-key.png"), full_page=True)
            tab.goto(base + "/mailbox")
            hrefs = tab.locator("ul.mb-list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
            out["own_mailbox_ids"] = [urllib.parse.unquote(h.rsplit("/", 1)[-1]) for h in hrefs]
            out["own_mailbox_text"] = tab.locator("body").inner_text()
            tab.close()
            done("read the 認証キー in its own mailbox (another tab)")
            new_password = args["new_password"]
            who.complete_reset(new_password, key)
            done("completed the reset")
            who.log_in(new_password, step="log in with the new password")
            expect(who.page.get_by_role("heading", name="求職者マイページホーム", exact=True)).to_be_visible()
            done("logged in with the new password")
        except Exception as error:  # noqa: BLE001 - report the step that failed
            out["error"] = f"{type(error).__name__}: {error}"
            out["trace"] = traceback.format_exc()[-2000:]
            out["page"] = who.said()
            who.page.screenshot(path=str(shots / "phone-failure.png"), full_page=True)

        # The trainer's pages, from the phone (with its participant cookie, without the token).
        probe = context.new_page()
        for path in TRAINER_PATHS:
            response = probe.goto(base + path)
            out["refusals"][path] = {"status": response.status if response else None,
                                     "text": " ".join(probe.locator("body").inner_text().split())[:200]}
        response = context.request.post(base + "/trainer/class/remove-all", form={"csrf_token": "x"},
                                        max_redirects=0, fail_on_status_code=False)
        out["refusals"]["POST /trainer/class/remove-all"] = {"status": response.status, "text": ""}

        # The other participant's mail, by its id, with this participant's own cookie.
        response = probe.goto(base + "/mailbox/m/" + urllib.parse.quote(other["mail_id"], safe=""))
        out["other"]["mail_by_id"] = {"status": response.status if response else None,
                                      "text": probe.locator("body").inner_text()}
        # Forged secrets for the other participant, in a browser with no card of its own.
        stranger = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="ja-JP")
        page = stranger.new_page()
        out["other"]["forged"] = []
        for secret in other["forged_secrets"]:
            response = page.goto(base + "/join/" + urllib.parse.quote(secret, safe="") + "?to=mailbox")
            out["other"]["forged"].append({
                "secret": secret, "status": response.status if response else None, "url": page.url,
                "text": page.locator("body").inner_text(),
                "cookie": any(c["name"] == PARTICIPANT_COOKIE for c in stranger.cookies())})
        response = page.goto(base + "/mailbox")
        out["other"]["no_card_mailbox"] = {"status": response.status if response else None,
                                           "text": page.locator("body").inner_text()}
        browser.close()
    return out


def main() -> None:
    command, args = sys.argv[1], json.loads(sys.argv[2])
    try:
        result = {"trainer": trainer, "phone": phone, "report": report}[command](args)
    except Exception as error:  # noqa: BLE001 - one JSON answer, whatever happened
        result = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()[-2000:]}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
