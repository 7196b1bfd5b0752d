"""The big screen and QR sign-in in real Chromium."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from zhongyan.accounts.models import User
from zhongyan.events import services
from zhongyan.events.selfies import process_selfie
from zhongyan.events.tests.factories import VenueFactory, jpeg_bytes
from zhongyan.events.tokens import make_screen_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLOURS = [(220, 80, 60), (60, 160, 90), (70, 90, 200), (230, 180, 40), (150, 70, 170)]


def _join(venue, n: int) -> None:  # type: ignore[no-untyped-def]
    """Joins as a request would: in a thread without an event loop (Playwright runs one here)."""

    def join() -> None:
        try:
            selfie = process_selfie(SimpleUploadedFile("a.jpg", jpeg_bytes(colour=COLOURS[n % 5])), max_bytes=10**7)
            services.join_event(venue=venue, selfie=selfie, name=f"Guest {n}", contact=f"g{n}@example.com")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(join).result()


def _wait_for_faces(page, count: int, timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
    """Polls from Python: the page's CSP forbids the eval that page.wait_for_function uses."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate("() => window.zhongyanWall ? window.zhongyanWall.count() : -1") == count:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the wall did not reach {count} faces")


def _lit_pixels(page) -> int:  # type: ignore[no-untyped-def]
    """Pixels of the canvas that are not transparent: the faces drawn."""
    return page.evaluate(
        """() => { const c = document.getElementById('wall'); const d = c.getContext('2d')
              .getImageData(0, 0, c.width, c.height).data; let n = 0;
              for (let i = 3; i < d.length; i += 16) { if (d[i] > 0) n++; } return n; }"""
    )


def test_the_screen_shows_faces_and_a_new_join_appears(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    venue = VenueFactory(is_main=True)
    for n in range(40):
        _join(venue, n)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"/screens/{venue.public_id}/?key={make_screen_key(venue.public_id)}")
    _wait_for_faces(page, 40)
    page.wait_for_timeout(1500)
    assert _lit_pixels(page) > 1000
    page.screenshot(path=str(tmp_path / "wall.png"))
    assert page.locator("#guest-count").inner_text() == "40"
    assert page.locator(".qr-code svg").count() == 1

    _join(venue, 99)
    # No WebSocket on the test server: the screen notices and catches up by polling.
    _wait_for_faces(page, 41)
    assert page.locator("#guest-count").inner_text() == "41"


def test_qr_sign_in_between_two_browsers(page, chromium, live_server, solver: User, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.locator("#qr-login-start").click()
    approve_url = page.locator("[data-approve-url]").get_attribute("data-approve-url")
    assert approve_url and "/qr-login/" in approve_url

    phone_context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = phone_context.new_page()
    phone.goto("/accounts/login/")
    phone.fill("input[name=login]", solver.email)
    phone.fill("input[name=password]", password)
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/dashboard/")
    phone.goto(approve_url)
    phone.click("button[value=approve]")
    phone.wait_for_selector(".alert-success")
    phone_context.close()

    page.wait_for_url("**/dashboard/", timeout=10_000)
    assert solver.name in page.content()
