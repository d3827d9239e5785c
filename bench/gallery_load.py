#!/usr/bin/env python3
"""The gallery opened from disk against the same gallery served by `kenshu serve`, in one browser,
alternating: time to the page's `load` event and until every frame shows its screen (each frame
scrolled into view in turn, as a reviewer scrolling through would load them)."""
import os, statistics, sys, time
from pathlib import Path
from playwright.sync_api import sync_playwright

output, base, rounds = Path(sys.argv[1]).resolve(), sys.argv[2], int(sys.argv[3])
CHROMIUM = os.environ.get("KENSHU_CHROMIUM", "/usr/bin/chromium")


def measure(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    loaded = time.perf_counter() - start
    frames = page.locator("iframe")
    for i in range(frames.count()):
        frame = frames.nth(i)
        frame.scroll_into_view_if_needed()
        # Through the DevTools protocol: a file:// frame is another origin to the page's own script.
        content = frame.element_handle().content_frame()
        content.wait_for_selector("h1", state="attached", timeout=60_000)
        content.wait_for_load_state("load", timeout=60_000)
    done = time.perf_counter() - start
    count = frames.count()
    context.close()
    return loaded, done, count


with sync_playwright() as p:
    args = ["--disable-dev-shm-usage"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    measure(browser, (output / "index.html").as_uri())  # warm the page cache
    disk, served = [], []
    for _ in range(rounds):
        disk.append(measure(browser, (output / "index.html").as_uri()))
        served.append(measure(browser, base + "/"))
    browser.close()

for name, rows in (("from disk", disk), ("served", served)):
    print(f"gallery {name:9}: load {statistics.median(r[0] for r in rows):.2f} s, "
          f"all {rows[0][2]} frames rendered {statistics.median(r[1] for r in rows):.2f} s "
          f"(rounds: {', '.join(f'{r[1]:.2f}' for r in rows)})")
ratio_load = statistics.median(r[0] for r in served) / statistics.median(r[0] for r in disk)
ratio_all = statistics.median(r[1] for r in served) / statistics.median(r[1] for r in disk)
print(f"ratio served/disk: load {ratio_load:.2f}x, all frames {ratio_all:.2f}x  (target: <= 1.5x)")
