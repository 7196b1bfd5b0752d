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
import json
import logging
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

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
JUNK_QUERY_VALUES = ("abc", "-1", "9" * 40, "\x00<script>", "钢" * 2000)
# A few filters at once: a list must shrug off all of them, and each request costs time.
JUNK_LIST_QUERIES = (
    {"page": "abc", "sort": "zzz", "order": "zzz", "status": "zzz", "kind": "zzz"},
    {"page": "99999", "q": "钢" * 3000, "field": "zzz", "organisation": JUNK_ID},
    {"page": "-1", "q": "\x00", "deadline_before": "not-a-date", "budget_min": "abc", "budget_max": "-1e309"},
    {"page": "1.5", "sort": "-created_at;drop", "state": "zzz", "mine": "zzz"},
)


# --- the demo, loaded once -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crawl-media")


@pytest.fixture(autouse=True)
def _demo_media_root(settings: Any, demo_media: Path) -> None:
    # The demo's guest photos are written once, for the module; every test must find them.
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker: Any, demo_media: Path) -> Iterator[None]:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=demo_media)
    with django_db_blocker.unblock(), fast, transaction.atomic():
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
    htmx: bool = False
    fields: list[tuple[str, str, str, list[str]]] = field(default_factory=list)  # name, kind, value, choices


class PageParser(HTMLParser):
    """Links, htmx GETs and forms of one page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # href, requested by htmx
        self.forms: list[Form] = []
        self.hx_posts: list[str] = []
        self.csrf_header = ""
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "body" and "X-CSRFToken" in a.get("hx-headers", ""):
            self.csrf_header = json.loads(a["hx-headers"])["X-CSRFToken"]
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("hx-get"):
            self.links.append((a["hx-get"], True))
        if a.get("hx-post") and tag != "form":
            self.hx_posts.append(a["hx-post"])
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or ""
            method = "post" if a.get("hx-post") else (a.get("method") or "get").lower()
            self._form = Form(action, method, "multipart" in a.get("enctype", ""), htmx="hx-post" in a)
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


def junk_value(kind: str, variant: int) -> str:
    if kind == "number":
        return ("abc", "1e309", "-99999999999999999999")[variant]
    if kind in ("date", "datetime-local", "time", "month"):
        return ("2026-13-45", "not-a-date", "0000-00-00T25:61")[variant]
    if kind == "email":
        return ("not-an-email", "a@" + "b" * 300 + ".cn", "\x00@x.cn")[variant]
    if kind == "select":
        return ("zzz-not-a-choice", JUNK_ID, "-1")[variant]
    return ("x" * 5000, "\x00<script>'\"", "钢" * 300)[variant]


def junk_upload() -> io.BytesIO:
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n not really an image")
    upload.name = "junk.png"
    return upload


def form_data(form: Form, variant: str) -> dict[str, Any]:
    """What a browser would send: the form unchanged, or every field filled with junk."""
    data: dict[str, list[Any]] = {}
    for name, kind, value, choices in form.fields:
        if name == "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
        elif kind == "file":
            data.setdefault(name, []).append(junk_upload() if variant.startswith("junk") else b"")
        elif variant == "unchanged":
            if kind in ("checkbox", "radio") and not value:
                continue
            data.setdefault(name, []).append(value)
        elif variant.startswith("junk"):
            number = int(variant[-1])
            if kind in ("checkbox", "radio"):
                data.setdefault(name, []).append(choices[0] if number == 0 and choices else "zzz")
            else:
                data.setdefault(name, []).append(junk_value(kind, number))
    return {name: values[0] if len(values) == 1 else values for name, values in data.items() if values != [b""]}


def route_templates() -> Iterator[tuple[str, bool]]:
    """Every route of the URL configuration as a template, and whether it sits under i18n_patterns."""

    def walk(patterns: list[Any], prefix: str, localised: bool) -> Iterator[tuple[str, bool]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                nested = localised or isinstance(pattern.pattern, LocalePrefixPattern)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), nested)
            elif isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern):
                yield prefix + str(pattern.pattern), localised

    yield from walk(get_resolver().url_patterns, "", False)


JUNK_BY_CONVERTER = {"int": "99999999", "path": "zzz/zzz", "uuid": "00000000-0000-0000-0000-000000000000"}


def with_junk_arguments(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda match: JUNK_BY_CONVERTER.get(match.group(1) or "", JUNK_ID), route)


class CsrfFailures(logging.Handler):
    """Django logs every refused CSRF check; a refusal means the crawl or a template lost the token."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


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
    requests: int = 0
    csrf_header: str = ""
    csrf_failures: "CsrfFailures" = field(default_factory=lambda: CsrfFailures())

    @property
    def prefix(self) -> str:
        return LANGUAGES[self.language]

    def wanted(self, url: str) -> str | None:
        """The URL to fetch for a link, or None for links the crawl leaves alone."""
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            return None
        path = parts.path
        if SKIPPED_PATHS.match(path):
            return None
        # Django's admin is Django's; our ModelAdmins only need each page once, in one language.
        if ADMIN.match(path) and (self.persona != "operator" or self.language != "zh-hans" or parts.query):
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
        keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
        shape = route + "?" + ",".join(keys)
        limit = 1 if ADMIN.match(parts.path) or route.startswith("api/") else PER_ROUTE
        if self.per_route[shape] >= limit:
            return False
        self.per_route[shape] += 1
        return True

    def get(self, url: str, *, htmx: bool = False, what: str = "") -> Any:
        self.requests += 1
        response = self.client.get(url, headers={"HX-Request": "true"} if htmx else {})
        if response.status_code >= 500:
            self.errors.append(f"GET {url} -> {response.status_code} {what}".rstrip())
        return response

    def post(self, url: str, data: dict[str, Any], *, what: str) -> Any:
        self.requests += 1
        cookie = self.client.cookies.get(settings.CSRF_COOKIE_NAME)
        token = cookie.value if cookie is not None else self.csrf_header
        headers = {"X-CSRFToken": token} if token else {}
        response = self.client.post(url, data, headers=headers)
        if response.status_code >= 500:
            self.errors.append(f"POST {url} -> {response.status_code} ({what})")
        elif self.csrf_failures.records:
            self.errors.append(f"POST {url} -> {response.status_code} CSRF failure ({what})")
            self.csrf_failures.records.clear()
        return response

    # Phase 1: follow every link and htmx GET, breadth first.
    def crawl(self) -> None:
        starts = [f"{self.prefix}/", f"{self.prefix}/dashboard/"]
        queue: deque[tuple[str, str, bool]] = deque((url, "", False) for url in starts)
        while queue:
            url, source, htmx = queue.popleft()
            if not self.admit(url):
                continue
            response = self.get(url, htmx=htmx, what=f"(linked from {source})" if source else "")
            status = response.status_code
            self.visited[url] = status
            if status in (403, 404) and source:
                self.broken_links.append(f"GET {url} -> {status} (linked from {source})")
            if status in (301, 302, 303, 307, 308):
                target = self.wanted(urljoin(url, response["Location"]))
                if target:
                    queue.append((target, source or url, False))
                continue
            if status != 200 or getattr(response, "streaming", False):
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            for target, by_htmx in self.read(url, response.content.decode("utf-8", "replace")):
                queue.append((target, url, by_htmx))

    def read(self, url: str, html: str) -> list[tuple[str, bool]]:
        parser = PageParser()
        parser.feed(html)
        if parser.csrf_header:
            self.csrf_header = parser.csrf_header
        for form in parser.forms:
            action = self.wanted(urljoin(url, form.action or url))
            if action:
                self.forms.setdefault(action + "#" + form.method, (form, url))
        for hx_post in parser.hx_posts:
            action = self.wanted(urljoin(url, hx_post))
            if action:
                self.forms.setdefault(action + "#post", (Form(hx_post, "post", False, htmx=True), url))
        links = []
        for href, by_htmx in parser.links:
            target = self.wanted(urljoin(url, href))
            if target:
                links.append((target, by_htmx))
        return links

    # Phase 2: unknown ids in every route, junk in every query the crawl saw, junk pages of lists.
    def junk_gets(self) -> None:
        for route, localised in route_templates():
            path = ("/en/" if localised and self.language == "en" else "/") + with_junk_arguments(route)
            if self.wanted(path) and not ADMIN.match(path):
                self.get(path, what="(unknown ids)")
        lists = sorted({url.split("?")[0] for url, status in self.visited.items() if status == 200})
        for url in lists:
            route = route_of(url)
            if route is None or ADMIN.match(url) or route.startswith("api/") or "<" in route:
                continue
            for query in JUNK_LIST_QUERIES:
                self.get(f"{url}?{urlencode(query)}", what="(junk query)")
        seen: set[tuple[str, str]] = set()
        for url in list(self.visited):
            path, _, query = url.partition("?")
            for key, _value in parse_qsl(query, keep_blank_values=True):
                if (route_of(path) or path, key) in seen or ADMIN.match(path):
                    continue
                seen.add((route_of(path) or path, key))
                for junk in JUNK_QUERY_VALUES:
                    self.get(f"{path}?{urlencode({key: junk})}", what="(junk query value)")

    # Phase 3: every form, sent empty, unchanged and filled with junk.
    def submit_forms(self) -> None:
        per_route: Counter[str] = Counter()
        for key, (form, page) in self.forms.items():
            action = key.rsplit("#", 1)[0]
            route = route_of(action.split("?")[0]) or action
            if per_route[route + form.method] >= FORMS_PER_ROUTE or ADMIN.match(action):
                continue
            per_route[route + form.method] += 1
            if form.method == "get":
                for variant in ("junk0", "junk1"):
                    query = {name: value for name, value in form_data(form, variant).items() if isinstance(value, str)}
                    self.get(f"{action.split('?')[0]}?{urlencode(query)}", what=f"(form on {page}, {variant})")
                continue
            if not any(name == "csrfmiddlewaretoken" for name, *_ in form.fields) and not form.htmx:
                self.broken_links.append(f"form posting to {action} on {page} has no CSRF token")
            for variant in ("empty", "unchanged", "junk0", "junk1"):
                data = form_data(form, variant) if variant != "empty" else {}
                self.post(action, data, what=f"form on {page}, {variant}")

    # Phase 4: an empty POST to every route, with unknown ids.
    def junk_posts(self) -> None:
        for route, localised in route_templates():
            path = ("/en/" if localised and self.language == "en" else "/") + with_junk_arguments(route)
            if self.wanted(path) and not ADMIN.match(path):
                self.post(path, {}, what="empty, unknown ids")


# --- the tests -----------------------------------------------------------------------------

CASES = [(persona, language) for persona in PERSONAS for language in LANGUAGES]


@pytest.fixture
def csrf_failures() -> Iterator[CsrfFailures]:
    handler = CsrfFailures()
    logger = logging.getLogger("django.security.csrf")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.parametrize(("persona", "language"), CASES)
def test_no_page_a_persona_can_reach_is_a_server_error(
    _demo: None, csrf_failures: CsrfFailures, persona: str, language: str
) -> None:
    crawl = Crawl(persona, language, client_as(persona), csrf_failures=csrf_failures)
    crawl.crawl()
    crawl.submit_forms()
    if language == "zh-hans":
        # Unknown ids and junk queries reach the same code in either language; once is enough.
        crawl.junk_gets()
        crawl.junk_posts()
    assert not crawl.errors, "\n".join(crawl.errors)
    assert not crawl.broken_links, "\n".join(crawl.broken_links)
