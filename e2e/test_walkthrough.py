"""Click through the static pages of each edition from file://, as a participant would,
at PC (1280px) and smartphone (390px) width; the login flow once more with JS off.

Controls are found as a person finds them: fields by their label, buttons and links by
their exact visible name (a control may be a <button> or an <a>). Forms are GET forms
that lead to the next static page.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from conftest import (
    EDITIONS,
    NAV_TIMEOUT_MS,
    VIEWPORTS,
    click_control,
    describe_controls,
    expect_heading,
    fill_field,
    find_control,
    invalid_fields,
    new_page,
    open_page,
    rel_of,
    visible,
)

EMAIL = "kenshu.taro@example.jp"
PASSWORD = "Kenshu2024!"
AUTH_KEY = "A1B2C3D4"
HELLOWORK = re.compile(r"厚生労働省\s*ハローワーク\s*インターネットサービス")
USE_HELLOWORK = re.compile(r"^\s*厚生労働省\s*ハローワーク\s*インターネットサービスを利用する\s*$")
# The newer manual (seed 001) words this button 「求人者からのリクエスト求人全てを表示」.
REQUEST_JOBS_ALL = {"v1": "求人者からのリクエスト求人を全て表示", "v2": "求人者からのリクエスト求人全てを表示"}
GLOBAL_MENU = ["求人検索", "求職活動状況", "メッセージ", "求職者情報・設定"]


class Walk:
    """One participant in one edition at one width."""

    def __init__(self, page: Page, edition: str, viewport: str):
        self.page = page
        self.edition = edition
        self.viewport = viewport
        self.failed: list[str] = []
        page.on("requestfailed", lambda r: self.failed.append(f"{rel_of(r.url)} ({r.failure})"))

    @property
    def where(self) -> str:
        return rel_of(self.page.url)

    def open(self, rel: str) -> "Walk":
        open_page(self.page, f"{self.edition}/{rel}")
        return self

    def expect(self, rel: str, heading: str | None = None, *, why: str = "") -> "Walk":
        """Wait until the page at `rel` (relative to the edition root) is shown."""
        suffix = f"/{self.edition}/{rel}"
        what = why or "navigation"
        try:
            self.page.wait_for_url(
                lambda u: u.startswith("chrome-error:") or unquote(urlparse(u).path).endswith(suffix),
                timeout=NAV_TIMEOUT_MS,
            )
        except PlaywrightError:
            invalid = invalid_fields(self.page)
            pytest.fail(
                f"{what}: expected {self.edition}/{rel}, still at {self.where}"
                + (f"; the form was not submitted, invalid fields: {invalid}" if invalid else "")
            )
        if self.page.url.startswith("chrome-error:"):
            pytest.fail(f"{what}: expected {self.edition}/{rel}; the page could not be opened: {self.failed or self.page.url}")
        self.page.wait_for_load_state()
        if heading is not None:
            self.expect_heading(heading)
        return self

    def expect_heading(self, name: str) -> None:
        expect_heading(self.page, self.where, name)

    def click(self, name, *, scope=None) -> "Walk":
        click_control(self.page, name, scope=scope)
        return self

    def fill(self, label: str, value: str) -> "Walk":
        fill_field(self.page, label, value)
        return self

    # -- smartphone menu

    def menu_summary(self):
        return find_control(self.page, "メニュー", roles=())

    def open_menu(self) -> None:
        summary = self.menu_summary()
        if summary is None:
            pytest.fail(f"{self.where}: no visible ☰ control named メニュー; visible controls: {describe_controls(self.page)}")
        summary.click()

    def click_nav(self, name: str) -> "Walk":
        """A global-menu item: at smartphone width it is inside the ☰ menu."""
        if find_control(self.page, name) is None and self.viewport == "sp":
            self.open_menu()
        return self.click(name)

    def click_in_row(self, text: re.Pattern, name: str) -> "Walk":
        """Click the control `name` in the table row (or, failing that, the innermost
        list item or block) that contains `text`."""
        rows = self.page.get_by_role("row").filter(has_text=text)
        blocks = self.page.locator("li, dl, section, article, div").filter(has_text=text)
        candidates = [rows.nth(i) for i in range(rows.count())]
        candidates += [blocks.nth(i) for i in reversed(range(blocks.count()))]  # innermost first
        if not candidates:
            pytest.fail(f"{self.where}: no row containing {text.pattern!r}")
        for row in candidates:
            control = find_control(row, name)
            if control is not None:
                control.click()
                return self
        pytest.fail(f"{self.where}: the row containing {text.pattern!r} has no visible control named {name!r}")


def site_params():
    return [pytest.param((ed, vp), id=f"{ed}-{vp}") for ed in EDITIONS for vp in VIEWPORTS]


@pytest.fixture(params=site_params())
def walk(request, browser):
    edition, viewport = request.param
    page = new_page(browser, viewport)
    yield Walk(page, edition, viewport)
    page.context.close()


def login(w: Walk) -> None:
    w.open("index.html")
    w.click("ログイン（求職者マイページ）").expect("login.html", "求職者マイページログイン")
    w.fill("ID（メールアドレス）", EMAIL).fill("パスワード", PASSWORD)
    w.click("ログイン").expect("home.html", "求職者マイページホーム", why="ログイン")


# --------------------------------------------------------------------------- flows


def test_login(walk):
    login(walk)


def test_password_reset(walk):
    w = walk.open("login.html")
    w.click("パスワードをお忘れの方").expect("password-reset.html", "求職者マイページパスワード再登録")
    w.fill("ID（メールアドレス）", EMAIL)
    w.click("次へ進む").expect("password-reset-key.html", "パスワード再登録", why="次へ進む")
    w.fill("新しいパスワード", PASSWORD).fill("新しいパスワード（確認用）", PASSWORD).fill("認証キー", AUTH_KEY)
    w.click("完了").expect("password-reset-done.html", why="完了")
    w.click("ログイン画面へ").expect("login.html", "求職者マイページログイン")


def test_reregister(walk):
    w = walk.open("login.html")
    w.click("アカウントを再登録").expect("reregister.html")
    w.fill("ID（メールアドレス）", EMAIL).fill("パスワード", PASSWORD)
    w.click("次へ進む").expect("reregister-key.html", "認証キー入力", why="次へ進む")
    w.fill("認証キー", AUTH_KEY)
    w.click("完了").expect("reregister-done.html", why="完了")
    w.click("ログイン画面へ").expect("login.html", "求職者マイページログイン")


def test_logout(walk):
    w = walk.open("home.html")
    if w.viewport == "pc":
        if w.menu_summary() is not None:
            pytest.fail("home.html at 1280px: the ☰ メニュー control should not be visible")
        w.click("ログアウト").expect("index.html")
    else:
        if find_control(w.page, "ログアウト") is not None:
            pytest.fail("home.html at 390px: the PC ログアウト button should not be visible (it belongs in the ☰ menu)")
        w.open_menu()
        w.click("ログアウト").expect("index.html", why="☰ メニュー → ログアウト")


def test_request_jobs_list(walk):
    w = walk.open("home.html")
    w.click(REQUEST_JOBS_ALL[w.edition]).expect("jobs/request.html")


def test_job_details(walk):
    """Every 詳細を表示 on the home page opens jobs/<求人番号>.html, which shows that number;
    the リクエスト求人 13010-00999999 is among them."""
    w = walk.open("home.html")
    count = len(visible(w.page.get_by_role("link", name="詳細を表示", exact=True))) + len(
        visible(w.page.get_by_role("button", name="詳細を表示", exact=True))
    )
    assert count, f"home.html: no visible 詳細を表示 control; visible controls: {describe_controls(w.page)}"
    reached = []
    for i in range(count):
        w.open("home.html")
        controls = visible(w.page.get_by_role("link", name="詳細を表示", exact=True)) + visible(
            w.page.get_by_role("button", name="詳細を表示", exact=True)
        )
        controls[i].click()
        try:
            w.page.wait_for_url(re.compile(rf"/{w.edition}/jobs/[0-9][0-9-]*\.html"), timeout=NAV_TIMEOUT_MS)
        except PlaywrightError:
            pytest.fail(f"詳細を表示 #{i + 1}: expected {w.edition}/jobs/<求人番号>.html, got {w.where}")
        w.page.wait_for_load_state()
        number = w.where.rsplit("/", 1)[-1].removesuffix(".html")
        reached.append(number)
        headings = " ".join(w.page.get_by_role("heading").all_inner_texts())
        assert "求人" in headings, f"{w.where}: no heading mentions 求人; headings: {headings!r}"
        if number not in w.page.locator("body").inner_text():
            pytest.fail(f"{w.where}: the page does not show its 求人番号 {number}")
    if "13010-00999999" not in reached:
        pytest.fail(f"home.html: no 詳細を表示 leads to jobs/13010-00999999.html (reached: {reached})")


def test_myna_portal_link(walk):
    w = walk.open("mynaportal/login.html")
    w.click("ログイン").expect("mynaportal/index.html")
    w.click("もっとつながる").expect("mynaportal/connections.html")
    w.click_in_row(HELLOWORK, "つなぐ").expect("mynaportal/consent.html", "同意確認")
    w.click("同意").expect("link-auth.html", "マイページ属性連携認証")
    w.fill("ID（メールアドレス）", EMAIL).fill("パスワード", PASSWORD)
    w.click("同意").expect("mynaportal/connected.html", "つながり完了", why="同意")
    w.click(USE_HELLOWORK).expect("home.html", "求職者マイページホーム")


def test_myna_portal_unlink(walk):
    w = walk.open("mynaportal/connections-linked.html")
    w.click_in_row(HELLOWORK, "やめる").expect("mynaportal/unlink.html", "つながりの解除")
    w.click("同意").expect("mynaportal/unlinked.html")


def test_link_mismatch(walk):
    w = walk.open("link-mismatch.html")
    w.expect_heading("属性連携不整合確認")
    w.click("マイナポータル連携開始").expect("mynaportal/consent.html", "同意確認")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_reception_slip_v2(browser, viewport):
    """The newer edition opens the ハローワーク受付票 from a button on the home page."""
    page = new_page(browser, viewport)
    try:
        w = Walk(page, "v2", viewport).open("home.html")
        w.click("ハローワーク受付票を表示").expect("reception-slip.html")
        body = w.page.locator("body").inner_text()
        assert "70000-99999999" in body, "v2/reception-slip.html: 求職番号 70000-99999999 not shown"
    finally:
        page.context.close()


@pytest.mark.parametrize("item", GLOBAL_MENU)
def test_global_menu_item_leads_outside(walk, item):
    w = walk.open("home.html")
    w.click_nav(item).expect("outside.html", why=f"global menu {item}")


def test_footer_links_lead_outside(walk):
    w = walk.open("home.html")
    links = w.page.locator("footer a")
    count = links.count()
    assert count, "home.html: no links in <footer>"
    names = [" ".join(t.split()) for t in links.all_inner_texts()]
    for i, name in enumerate(names):
        w.open("home.html")
        link = w.page.locator("footer a").nth(i)
        assert link.is_visible(), f"home.html: footer link {name!r} is not visible"
        link.click()
        w.expect("outside.html", why=f"footer link {name!r}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("edition", EDITIONS)
def test_login_and_logout_without_javascript(browser, edition, viewport):
    page = new_page(browser, viewport, js=False)
    try:
        w = Walk(page, edition, viewport)
        login(w)
        if viewport == "sp":
            w.open_menu()
        w.click("ログアウト").expect("index.html", why="ログアウト without JS")
    finally:
        page.context.close()
