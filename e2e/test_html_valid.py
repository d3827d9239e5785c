"""Every HTML file under Output/ passes the Nu HTML Checker (vnu.jar) with no error."""

from __future__ import annotations

import pytest

from conftest import OUTPUT, html_files, rel_of, vnu_line, vnu_messages


def test_nu_html_checker_reports_no_errors():
    if not html_files():
        pytest.fail(f"no HTML files under {OUTPUT}")
    errors = vnu_messages(OUTPUT)
    if errors:
        lines = [vnu_line(m, rel_of(m.get("url", "?"))) for m in errors]
        pytest.fail(f"{len(errors)} HTML error(s) from the Nu HTML Checker:\n" + "\n".join(lines))
