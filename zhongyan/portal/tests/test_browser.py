"""A person in real Chromium: signs in, then switches the interface to English and back."""

import pytest

from zhongyan.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_language(page, owner: User, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    assert "欢迎" in page.locator("h1").inner_text()

    page.click("#language-menu")
    page.click("button[data-language=en]")
    page.wait_for_url("**/en/dashboard/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Welcome")

    page.click("#language-menu")
    page.click("button[data-language=zh-hans]")
    page.wait_for_url(lambda url: url.endswith("/dashboard/") and "/en/" not in url)
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_phone_width_menu_opens(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/en/")
    assert not page.locator("#main-nav").is_visible()
    page.click("button.navbar-toggler")
    page.locator("#main-nav a[href='/en/accounts/login/']").wait_for(state="visible")
