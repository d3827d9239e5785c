"""`kenshu handbook` as a trainer uses it: the manual's procedures regenerated from the mock.

The handbook is made once (module fixture) with the repository's Content/; then every picture is
checked against the page it was taken of, re-measured here by another browser client
(Playwright), every PDF is read back with poppler and pypdf, and the HTML goes through the
Nu HTML Checker and axe-core. Errors a trainer can make are run through the command itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pypdf import PdfReader

from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, VIEWPORTS, axe_blocking, axe_report, vnu_messages, vnu_line

KENSHU = Path(os.environ.get("KENSHU", REPO / ".build" / "debug" / "kenshu"))
LAYOUTS = {"pc": {"width": 1280, "height": 900, "scale": 1}, "sp": {"width": 390, "height": 844, "scale": 2}}


def kenshu(*args: str, cwd: Path = REPO, timeout: int = 900) -> subprocess.CompletedProcess:
    if not KENSHU.exists():
        pytest.fail(f"{KENSHU} is missing: run `swift build` first")
    return subprocess.run([str(KENSHU), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def procedures_of(content: Path) -> list[dict]:
    """The procedure files' front matter, as a trainer wrote them."""
    found = []
    for path in sorted((content / "manual/procedures").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---", 1)[0].removeprefix("---\n")
        found.append({"id": path.stem, **yaml.safe_load(front)})
    return found


def text_for(value, edition: str):
    return value.get(edition) if isinstance(value, dict) else value


def expected_steps(procedure: dict, edition: str, layout: str) -> list[str]:
    if edition not in procedure.get("editions", [edition]):
        return []
    return [text_for(step["text"], edition) for step in procedure["steps"]
            if layout in step.get("layouts", ["pc", "sp"]) and edition in step.get("editions", [edition])]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("handbook")
    run = kenshu("handbook", "--content", "Content", "--output", str(root / "handbook"), "--pptx")
    assert run.returncode == 0, run.stdout + run.stderr
    # The pages the pictures were taken of, built the same way, to measure them again.
    site = kenshu("build", "--content", "Content", "--output", str(root / "site"))
    assert site.returncode == 0, site.stderr
    manifest = json.loads((root / "handbook/manifest.json").read_text(encoding="utf-8"))
    return root, manifest, run.stdout


def all_steps(manifest: dict):
    for edition in manifest["editions"]:
        for procedure in edition["procedures"]:
            for layout, steps in procedure["layouts"].items():
                for step in steps:
                    yield edition["id"], procedure, layout, step


def test_every_step_of_every_procedure_has_its_picture(made):
    root, manifest, output = made
    procedures = procedures_of(REPO / "Content")
    assert {e["id"] for e in manifest["editions"]} == {"v1", "v2"}
    for edition in manifest["editions"]:
        shot = {p["id"]: p for p in edition["procedures"]}
        for procedure in procedures:
            for layout in ("pc", "sp"):
                want = expected_steps(procedure, edition["id"], layout)
                got = [s["text"] for s in shot.get(procedure["id"], {}).get("layouts", {}).get(layout, [])]
                assert got == want, f"{edition['id']} {procedure['id']} {layout}"
        # a progress line per procedure
        for procedure in edition["procedures"]:
            assert f"{edition['id']} {procedure['id']}:" in output
    for edition, procedure, layout, step in all_steps(manifest):
        image = root / "handbook" / step["image"]
        assert re.fullmatch(rf"{edition}/[0-9.]+p?-{layout}-\d\d\.png", step["image"]), step["image"]
        with Image.open(image) as png:
            scale = LAYOUTS[layout]["scale"]
            assert png.size == (round(step["clip"]["width"] * scale), round(step["clip"]["height"] * scale)), step["image"]


def red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 190 and g < 80 and b < 90


def test_each_box_is_where_the_page_says_its_target_is(made, browser):
    """Every frame lies within 2 CSS px of the target's bounding box, read back from the page at
    that width by another client, is drawn in red in the picture, and lies inside the picture."""
    root, manifest, _ = made
    contexts = {}
    checked = 0
    try:
        for edition, procedure, layout, step in all_steps(manifest):
            marks = [(t["name"], t["box"], t["mark"]) for t in step["targets"]]
            marks += [(c["target"], c["box"], c["mark"]) for c in step["callouts"]]
            if not marks:
                continue
            clip, scale = step["clip"], step["scale"]
            with Image.open(root / "handbook" / step["image"]) as png:
                pixels = png.convert("RGB").load()
                for name, box, mark in marks:
                    assert mark["x"] >= clip["x"] - 0.5 and mark["y"] >= clip["y"] - 0.5, (step["image"], name)
                    assert mark["y"] + mark["height"] <= clip["y"] + clip["height"] + 0.5, (step["image"], name)
                    middle = mark["y"] + mark["height"] / 2
                    for x in (mark["x"] + 1.5, mark["x"] + mark["width"] - 1.5):
                        at = (int((x - clip["x"]) * scale), int((middle - clip["y"]) * scale))
                        assert red(pixels[at]), f"{step['image']}: no red frame at {at} for {name}: {pixels[at]}"
            if step["screen"].startswith("mail:"):
                continue  # the mail view is the handbook's own page, checked by its pixels above
            if layout not in contexts:
                viewport = LAYOUTS[layout]
                contexts[layout] = browser.new_context(
                    viewport={"width": viewport["width"], "height": viewport["height"]},
                    device_scale_factor=viewport["scale"], is_mobile=layout == "sp", locale="ja-JP").new_page()
            page = contexts[layout]
            page.goto((root / "site" / edition / step["screen"]).as_uri())
            for name in step["open"]:
                page.evaluate("(n) => document.querySelectorAll(`[data-step~='${n}']`).forEach(e => e.open = true)", name)
            for name, box, _ in marks:
                measured = page.evaluate("""(n) => {
                    const shown = [...document.querySelectorAll(`[data-step~='${n}']`)].filter(e => e.checkVisibility());
                    if (!shown.length) return null;
                    const r = shown.map(e => e.getBoundingClientRect());
                    const left = Math.min(...r.map(b => b.left)) + scrollX, top = Math.min(...r.map(b => b.top)) + scrollY;
                    return { x: left, y: top, width: Math.max(...r.map(b => b.right)) + scrollX - left,
                             height: Math.max(...r.map(b => b.bottom)) + scrollY - top };
                }""", name)
                assert measured, f"{step['image']}: `{name}` is not visible on {edition}/{step['screen']} at {layout}"
                for key in ("x", "y", "width", "height"):
                    assert abs(measured[key] - box[key]) <= 2, f"{step['image']} {name}: {key} {box[key]} vs page {measured[key]}"
                checked += 1
    finally:
        for page in contexts.values():
            page.context.close()
    assert checked > 80


def squeeze(text: str) -> str:
    """Without white space, NFKC: a PDF's text layer may give a CJK radical (⾯) for its ideograph (面)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_pdf_per_edition_is_a4_has_every_sentence_and_working_contents(made):
    root, manifest, _ = made
    for edition in manifest["editions"]:
        pdf = root / "handbook" / f"kenshu-handbook-{edition['id']}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert len(edition["procedures"]) + 2 <= pages <= 150, pages
        text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        for procedure in edition["procedures"]:
            for layout, steps in procedure["layouts"].items():
                for step in steps:
                    assert squeeze(step["text"]) in text, f"{pdf.name}: missing step {step['text']!r}"
            for note in procedure["notes"]:
                assert squeeze(note["text"])[:40] in text, f"{pdf.name}: missing note {note['text'][:30]!r}"
        assert f"1/{pages}" in text and f"{pages}/{pages}" in text  # page numbers n / N

        # The table of contents links land on the pages that start those procedures.
        reader = PdfReader(str(pdf))
        links = []
        for annotation in reader.pages[1].get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            destination = annotation.get("/Dest") or (annotation.get("/A") or {}).get("/D")
            if isinstance(destination, str) or hasattr(destination, "encode"):
                destination = reader.named_destinations[str(destination)]
                target_page = reader.get_destination_page_number(destination)
            else:
                target_page = reader.get_page_number(destination[0].get_object())
            links.append(target_page)
        # (a link's text in two runs, the section number and the title, gives two link areas)
        targets = sorted(set(links))
        assert len(targets) == len(edition["procedures"]), f"{pdf.name}: contents links land on pages {targets}"
        for procedure, page_index in zip(edition["procedures"], targets):
            landed = squeeze(reader.pages[page_index].extract_text())
            assert squeeze(procedure["title"]) in landed, f"{pdf.name}: the link for {procedure['title']} lands on page {page_index + 1}"


def test_html_handbook_is_valid_accessible_and_switches_edition(made, browser):
    root, manifest, _ = made
    errors = [vnu_line(m, Path(m.get("url", "")).name) for m in vnu_messages(root / "handbook")]
    assert not errors, "\n".join(errors)
    axe = Axe()
    first = manifest["editions"][0]["procedures"][0]["id"]
    for viewport, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
        page = context.new_page()
        try:
            for rel in ("index.html", f"v2/{first}.html", "diff.html", "v1/print.html"):
                page.goto((root / "handbook" / rel).as_uri())
                blocking = axe_blocking(axe, page)
                assert not blocking, f"{rel} at {viewport}: axe violations\n{axe_report(blocking)}"
            page.goto((root / "handbook" / f"v2/{first}.html").as_uri())
            images = page.locator("img")
            assert images.count() > 0
            for i in range(images.count()):
                alt = images.nth(i).get_attribute("alt")
                assert alt and len(alt) > 5
                images.nth(i).scroll_into_view_if_needed()  # loading="lazy"
                page.wait_for_function("(img) => img.complete", arg=images.nth(i).element_handle(), polling=100)
                assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", images.nth(i).element_handle())
            page.get_by_role("link", name="旧版で見る").click()
            assert page.url.endswith(f"/v1/{first}.html")
        finally:
            context.close()


def test_edition_diff_names_what_differs_and_why(made):
    root, _, _ = made
    diff = (root / "handbook/diff.html").read_text(encoding="utf-8")
    assert "3.4 (1)" in diff
    # The newer home screen: its 受付票 button comes from an edition flag, the online-introduction
    # job from a fixture item that only the newer edition has.
    assert "edition.reception_slip" in diff or "edition.reception_barcode" in diff
    assert "editions: v2" in diff


def test_a_target_hidden_at_a_width_stops_with_its_place_and_writes_nothing(tmp_path):
    content = tmp_path / "Content"
    shutil.copytree(REPO / "Content", content)
    source = content / "manual/procedures/3.3-logout.md"
    text = source.read_text(encoding="utf-8")
    # The header's ログアウト is hidden on a smartphone; the manual uses the menu there.
    source.write_text(text.replace("    layouts: [pc]\n    screen: home.html\n    targets: [logout]",
                                   "    layouts: [pc, sp]\n    screen: home.html\n    targets: [logout]", 1), encoding="utf-8")
    line = next(i for i, l in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if "targets: [logout]" in l)
    output = tmp_path / "handbook"
    output.mkdir()
    (output / "keep.txt").write_text("earlier handbook", encoding="utf-8")
    run = kenshu("handbook", "--content", "Content", "--output", str(output), "--only", "3.3", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"Content/manual/procedures/3.3-logout.md:{line}:15: error: target `logout` is hidden at 390 px" in run.stderr, run.stderr
    assert sorted(p.name for p in output.iterdir()) == ["keep.txt"]
    assert not list(tmp_path.glob(".handbook.staging*"))


def test_a_missing_browser_says_what_to_install(tmp_path):
    run = kenshu("handbook", "--output", str(tmp_path / "out"), "--only", "3.3", "--chromium", "/nonexistent/chromium")
    assert run.returncode == 1
    assert "apt-get install chromium fonts-noto-cjk" in run.stderr, run.stderr
    assert not (tmp_path / "out").exists()


def test_two_runs_give_identical_pictures_and_only_keeps_the_rest(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        run = kenshu("handbook", "--output", str(folder), "--only", "3.3")
        assert run.returncode == 0, run.stderr
    pictures = sorted(p.relative_to(first) for p in first.rglob("*.png"))
    assert len(pictures) == 10  # 3.3: PC ①② + smartphone ①②③, two editions
    for picture in pictures:
        assert (first / picture).read_bytes() == (second / picture).read_bytes(), picture
    # The decks too: fixed times in the zip and in docProps/core.xml.
    for folder in (first, second):
        run = kenshu("handbook", "--output", str(folder), "--only", "3.3", "--pptx")
        assert run.returncode == 0, run.stderr
    decks = sorted(p.name for p in first.glob("*.pptx"))
    assert decks == ["v1-pc.pptx", "v1-sp.pptx", "v2-pc.pptx", "v2-sp.pptx"]
    for deck in decks:
        assert (first / deck).read_bytes() == (second / deck).read_bytes(), deck
    # A second procedure added with --only keeps the first.
    run = kenshu("handbook", "--output", str(first), "--only", "3.4.2")
    assert run.returncode == 0, run.stderr
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    ids = {p["id"] for p in manifest["editions"][0]["procedures"]}
    assert ids == {"3.3-logout", "3.4.2-unlink"}
    for edition, procedure, layout, step in all_steps(manifest):
        assert (first / step["image"]).is_file(), step["image"]


# --------------------------------------------------------------------------- slides (--pptx)


def test_each_deck_has_a_slide_per_step_with_editable_text_and_movable_frames(made):
    """python-pptx opens every deck: title + a section per procedure + a slide per step + a slide
    per note; each step's sentence is text, not pixels; one picture (without frames) and one red
    rectangle per target or callout, exactly where the frame is in the picture."""
    root, manifest, output = made
    assert re.search(r"decks: v2-pc\.pptx, v2-sp\.pptx, v1-pc\.pptx, v1-sp\.pptx in", output), output
    for edition in manifest["editions"]:
        for layout in ("pc", "sp"):
            deck = Presentation(str(root / "handbook" / f"{edition['id']}-{layout}.pptx"))
            assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)  # 16:9
            procedures = [p for p in edition["procedures"] if p["layouts"].get(layout)]
            slides = list(deck.slides)
            steps = sum(len(p["layouts"][layout]) for p in procedures)
            notes = sum(len(p["notes"]) for p in procedures)
            assert len(slides) == 1 + len(procedures) + steps + notes, f"{edition['id']}-{layout}"
            index = 1
            for procedure in procedures:
                section_text = "\n".join(sh.text_frame.text for sh in slides[index].shapes if sh.has_text_frame)
                assert procedure["title"] in section_text
                index += 1
                for step in procedure["layouts"][layout]:
                    slide = slides[index]
                    where = f"{edition['id']}-{layout} slide {index + 1}"
                    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
                    assert any(step["text"] in t for t in texts), f"{where}: {step['text']!r}"
                    pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
                    rectangles = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
                                  and sh.auto_shape_type == MSO_SHAPE.RECTANGLE]
                    marks = [t["mark"] for t in step["targets"]] + [c["mark"] for c in step["callouts"]]
                    assert len(pictures) == 1, where
                    assert len(rectangles) == len(marks), f"{where}: {len(rectangles)} rectangles for {len(marks)} targets"
                    picture, clip = pictures[0], step["clip"]
                    with Image.open(root / "handbook" / step["plainImage"]) as plain:
                        assert picture.image.blob == (root / "handbook" / step["plainImage"]).read_bytes(), where
                        pixels = plain.convert("RGB").load()
                        for mark in marks:  # the picture has no frame of its own: the rectangle is the frame
                            at = (int((mark["x"] + 1.5 - clip["x"]) * step["scale"]), int((mark["y"] + mark["height"] / 2 - clip["y"]) * step["scale"]))
                            assert not red(pixels[at]), f"{where}: the deck's picture has a frame drawn in"
                    for rectangle, mark in zip(rectangles, marks):
                        sx, sy = picture.width / clip["width"], picture.height / clip["height"]
                        left = max(picture.left, picture.left + (mark["x"] - clip["x"]) * sx)
                        top = max(picture.top, picture.top + (mark["y"] - clip["y"]) * sy)
                        assert abs(rectangle.left - left) <= 2 and abs(rectangle.top - top) <= 2, where
                        assert str(rectangle.line.color.rgb) == "E60012", where
                    assert step["text"] in slide.notes_slide.notes_text_frame.text, where
                    index += 1
                index += len(procedure["notes"])


def test_libreoffice_converts_every_deck(made, tmp_path):
    root, manifest, _ = made
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.fail("libreoffice is missing (make test-deps installs libreoffice-impress)")
    decks = sorted((root / "handbook").glob("*.pptx"))
    assert len(decks) == 4
    run = subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                          "--outdir", str(tmp_path), *map(str, decks)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    for deck in decks:
        pdf = tmp_path / (deck.stem + ".pdf")
        assert pdf.is_file(), f"{deck.name} was not converted: {run.stdout} {run.stderr}"
        text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        edition = next(e for e in manifest["editions"] if deck.stem.startswith(e["id"]))
        assert squeeze(edition["procedures"][0]["title"]) in text, deck.name
