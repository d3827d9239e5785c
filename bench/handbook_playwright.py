#!/usr/bin/env python3
"""The peer for bench/handbook.sh: the same pictures taken the way a trainer would script them
without Kenshu — Playwright (Python) on the same /usr/bin/chromium loads each page, outlines the
targets with injected CSS and screenshots the same region. The list of shots (page, layout,
targets, region) is read from Kenshu's manifest so both do the same work."""
import json, os, sys
from pathlib import Path
from playwright.sync_api import sync_playwright

manifest_path, site, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
LAYOUTS = {"pc": (1280, 900, 1, False), "sp": (390, 844, 2, True)}
CHROMIUM = os.environ.get("KENSHU_CHROMIUM", "/usr/bin/chromium")

with sync_playwright() as p:
    args = ["--disable-dev-shm-usage"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    pages = {}
    count = 0
    for edition in manifest["editions"]:
        for procedure in edition["procedures"]:
            for layout, steps in procedure["layouts"].items():
                if layout not in pages:
                    width, height, scale, mobile = LAYOUTS[layout]
                    pages[layout] = browser.new_context(viewport={"width": width, "height": height},
                                                        device_scale_factor=scale, is_mobile=mobile).new_page()
                page = pages[layout]
                for step in steps:
                    if step["screen"].startswith("mail:"):
                        continue  # the mail view is Kenshu's own page
                    page.goto((site / edition["id"] / step["screen"]).as_uri())
                    names = [t["name"] for t in step["targets"]] + [c["target"] for c in step["callouts"]]
                    css = "".join(f'[data-step~="{n}"]{{outline:3px solid #e60012!important;outline-offset:2px}}' for n in names)
                    css += "*{animation:none!important;transition:none!important;caret-color:transparent!important}"
                    page.add_style_tag(content=css)
                    for name in step["open"]:
                        page.evaluate("(n) => document.querySelectorAll(`[data-step~='${n}']`).forEach(e => e.open = true)", name)
                    clip = step["clip"]
                    target = out / step["image"]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(target), clip=clip, full_page=True)
                    count += 1
    browser.close()
print(count)
