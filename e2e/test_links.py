"""No broken local link anywhere in Output/, checked by LinkChecker over file:// URLs.

The crawl starts at the gallery (Output/index.html) and recurses without limit; every
other page is also given as a start URL, so a page that nothing links to still has its
own links checked. External URLs are not checked (there must be none: test_offline.py).
Local form `action` targets count as links and must exist too.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import OUTPUT, html_files, output_path

# LinkChecker drops root privileges to `nobody`, which may not be able to read a
# checkout under /root; run its own entry point in the venv without that step.
RUN_LINKCHECKER = """
import sys
import linkcheck.command.linkchecker as lc
lc.drop_privileges = lambda: None
sys.argv[0] = "linkchecker"
sys.exit(lc.linkchecker())
"""


def test_no_broken_links(tmp_path):
    gallery = output_path("index.html").as_uri()
    others = [(OUTPUT / rel).as_uri() for rel in html_files() if rel != "index.html"]
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-c", RUN_LINKCHECKER,
         "--no-status", "--no-warnings", "--no-robots", "--recursion-level=-1", "-o", "text",
         gallery, *others],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    report = proc.stdout + proc.stderr
    if "Start checking" in report:  # drop the copyright banner
        report = report[report.index("Start checking"):]
    # 0: no errors; 1: broken links found; 2: the program itself failed.
    if proc.returncode != 0 or "0 errors found" not in report:
        pytest.fail(f"linkchecker exited {proc.returncode}:\n{report[-15000:]}")
