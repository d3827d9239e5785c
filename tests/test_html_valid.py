"""Every HTML file under Output/ passes the Nu HTML Checker (vnu.jar) with no error."""

from __future__ import annotations

import pytest

from conftest import OUTPUT, html_files, rel_of, vnu_messages


def test_nu_html_checker_reports_no_errors():
    if not html_files():
        pytest.fail(f"no HTML files under {OUTPUT}")
    errors = vnu_messages(OUTPUT)
    if errors:
        lines = []
        for m in errors:
            where = rel_of(m.get("url", "?"))
            line = m.get("lastLine", m.get("firstLine", "?"))
            extract = " ".join((m.get("extract") or "").split())
            lines.append(f"{where}:{line}: {m.get('message')}" + (f"\n    {extract}" if extract else ""))
        pytest.fail(f"{len(errors)} HTML error(s) from the Nu HTML Checker:\n" + "\n".join(lines))
