"""A member on a phone signs in, narrows the field list by typing, and saves the profile."""

from typing import Any

import pytest

from zhongyan.accounts.models import Field, User
from zhongyan.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_member_on_a_phone_filters_fields_and_saves_the_profile(page: Any) -> None:
    # Transactional tests before this one may have flushed the taxonomy that migration 0003 seeds.
    for code, zh, en in (("hot-rolling", "热轧", "Hot rolling"), ("cold-rolling", "冷轧", "Cold rolling")):
        Field.objects.get_or_create(code=code, defaults={"name": {"zh-hans": zh, "en": en}})
    user = UserFactory(email="phone@example.com")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/")

    page.goto("/profile/")
    page.fill("input.field-filter", "轧")
    visible = page.locator("#expertise-options .form-check-col:visible")
    assert visible.count() == 2  # 热轧, 冷轧
    page.locator("#expertise-options .form-check-col:visible", has_text="冷轧").locator("input").check()
    page.fill("#id_keywords", "板形控制")
    page.click("form.profile-form button[type=submit]")
    page.wait_for_selector(".alert-success")

    user = User.objects.get(pk=user.pk)
    assert user.keywords == "板形控制"
    assert set(user.fields.values_list("code", flat=True)) == {"cold-rolling"}
    # Nothing sideways: the page fits the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
