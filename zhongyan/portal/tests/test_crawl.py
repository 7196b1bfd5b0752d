"""Nothing returns a 500: every demo persona crawls every page it can reach, in both languages.

Each persona (and an anonymous visitor) starts at the home page and the dashboard and follows
every same-site link and htmx `hx-get` its pages show, breadth first. No response may be a
server error, and a link a page shows must not lead the same user to a 403 or 404. Then every
URL pattern is requested with unknown ids and junk query values, and every form the crawl found
is posted empty, unchanged and filled with junk (with the page's CSRF token): never a 500.

The demo is loaded once for the module inside a transaction that is rolled back at the end, so
the rest of the suite never sees it; each test runs in a savepoint of its own on top of it.
"""

import io
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from zhongyan.accounts.models import User
from zhongyan.portal.demo_people import DOMAIN

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "operator", "owner", "solver", "reviewer", "contributor", "incubation", "guest")
LANGUAGES = {"zh-hans": "", "en": "/en"}

MAX_URLS = 400  # per persona and language
PER_ROUTE = 4  # distinct URLs of one route (e.g. four demand pages) per persona and language
FORMS_PER_ROUTE = 2

# Signing out ends the crawl's session; static files are whitenoise's, not ours.
SKIPPED_PATHS = re.compile(r"^(/en)?/accounts/logout/|^/static/|^/media/")
ADMIN = re.compile(r"^(/en)?/admin/")

JUNK_ID = "zzzzzzzzzzzzzzzz"
JUNK_QUERY_VALUES = ("abc", "99999", "-1", "0", "zzzzzzzz", "1" * 40, "%00", "<script>", "x" * 5000, "")
JUNK_LIST_QUERIES = (
    {"page": "abc"},
    {"page": "99999"},
    {"page": "-1"},
    {"page": "1.5"},
    {"sort": "zzz"},
    {"sort": "-created_at;drop"},
    {"order": "zzz"},
    {"q": "钢" * 3000},
    {"q": "\x00"},
    {"status": "zzz"},
    {"field": "zzz"},
    {"organisation": JUNK_ID},
    {"kind": "zzz"},
    {"deadline_before": "not-a-date"},
    {"budget_min": "abc", "budget_max": "-1e309"},
)


# --- the demo, loaded once -----------------------------------------------------------------


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


def persona_user(persona: str) -> User | None:
    if persona == "anonymous":
        return None
    return User.objects.get(email=f"{persona}@{DOMAIN}")


def client_as(persona: str) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    user = persona_user(persona)
    if user is not None:
        client.force_login(user)
    return client


# --- reading pages -------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[tuple[str, str, str, list[str]]] = field(default_factory=list)  # name, kind, value, choices


class PageParser(HTMLParser):
    """Links, htmx GETs and forms of one page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # href, requested by htmx
        self.forms: list[Form] = []
        self.hx_posts: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("hx-get"):
            self.links.append((a["hx-get"], True))
        if a.get("hx-post") and tag != "form":
            self.hx_posts.append(a["hx-post"])
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or ""
            method = "post" if a.get("hx-post") else (a.get("method") or "get").lower()
            self._form = Form(action, method, "multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None or "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.append((a["name"], kind, "", [a.get("value", "on")]))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form.fields.append((a["name"], kind, a.get("value", ""), []))
        elif tag == "select":
            self._select = (a["name"], [], [])
        elif tag == "textarea":
            self._textarea = (a["name"], [])
        if tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            value = selected[0] if selected else (options[0] if options else "")
            self._form.fields.append((name, "select", value, options))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "textarea", "".join(self._textarea[1]).strip("\n"), []))
            self._textarea = None


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def language_of(path: str) -> str:
    return "en" if path == "/en" or path.startswith("/en/") else "zh-hans"


# --- the crawl -----------------------------------------------------------------------------


@dataclass
class Crawl:
    persona: str
    language: str
    client: Client
    visited: dict[str, int] = field(default_factory=dict)  # url -> status
    errors: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    forms: dict[str, tuple[Form, str]] = field(default_factory=dict)  # action url -> form, page it was on
    per_route: Counter[str] = field(default_factory=Counter)

    def wanted(self, url: str) -> str | None:
        """The URL to fetch for a link, or None for links the crawl leaves alone."""
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            return None
        path = parts.path
        if SKIPPED_PATHS.match(path) or (ADMIN.match(path) and self.persona != "operator"):
            return None
        if not path.startswith("/api/") and language_of(path) != self.language:
            return None
        query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        return f"{path}?{query}" if query else path

    def admit(self, url: str) -> bool:
        """Bound the crawl: a few URLs per route and query shape, a few hundred in all."""
        if url in self.visited or len(self.visited) >= MAX_URLS:
            return False
        parts = urlsplit(url)
        route = route_of(parts.path)
        if route is None:
            return True  # an unknown path must still be a clean 404
        shape = route + "?" + ",".join(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}))
        if self.per_route[shape] >= PER_ROUTE:
            return False
        self.per_route[shape] += 1
        return True

    def run(self) -> None:
        prefix = LANGUAGES[self.language]
        queue: deque[tuple[str, str, bool]] = deque([(f"{prefix}/", "(start)", False), (f"{prefix}/dashboard/", "(start)", False)])
        while queue:
            url, source, htmx = queue.popleft()
            if not self.admit(url):
                continue
            headers = {"HX-Request": "true"} if htmx else {}
            response = self.client.get(url, headers=headers)
            status = response.status_code
            self.visited[url] = status
            if status >= 500:
                self.errors.append(f"GET {url} -> {status} (linked from {source})")
                continue
            if status in (403, 404) and source != "(start)":
                self.broken_links.append(f"GET {url} -> {status} (linked from {source})")
            if status in (301, 302, 303, 307, 308):
                target = self.wanted(urljoin(url, response["Location"]))
                if target:
                    queue.append((target, url, False))
                continue
            if status != 200 or "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
                continue
            parser = PageParser()
            parser.feed(response.content.decode("utf-8", "replace"))
            for href, by_htmx in parser.links:
                target = self.wanted(urljoin(url, href))
                if target:
                    queue.append((target, url, by_htmx))
            for form in parser.forms:
                action = self.wanted(urljoin(url, form.action or url))
                if action and form.method == "post":
                    self.forms.setdefault(action, (form, url))
            for hx_post in parser.hx_posts:
                action = self.wanted(urljoin(url, hx_post))
                if action:
                    self.forms.setdefault(action, (Form(hx_post, "post", False), url))


# --- the tests -----------------------------------------------------------------------------

CASES = [(persona, language) for persona in PERSONAS for language in LANGUAGES]


@pytest.mark.parametrize(("persona", "language"), CASES)
def test_no_page_a_persona_can_reach_is_a_server_error(_demo: None, persona: str, language: str) -> None:
    crawl = Crawl(persona, language, client_as(persona))
    crawl.run()
    print(f"{persona}/{language}: {len(crawl.visited)} URLs, {len(crawl.forms)} forms")
    import os
    if os.environ.get("CRAWL_DEBUG"):
        for shape, n in sorted(crawl.per_route.items()):
            print(n, shape)
        for url, status in crawl.visited.items():
            print(status, url)
    assert not crawl.errors, "\n".join(crawl.errors)
    assert not crawl.broken_links, "\n".join(crawl.broken_links)
