"""The lean join endpoint: a raw ASGI application for the one request of issue 6's burst.

3,000 guests post their join within a second on a 2-core server, so the post may cost well
under a millisecond: no Django middleware, no session, no database, no decoding. It checks the
signed ticket from the join page (tickets.py: the scan grant, the venue, the guest), the Origin
header and the double-submit nonce cookie, the body's size, the contact, the picture's magic
bytes and header size (a decompression bomb is refused here), queues the join (joinqueue.py)
and answers 202 with a receipt. The phone then long-polls the receipt's status, which carries a
refusal found later (a damaged picture) as a translated message. Mounted by zhongyan/asgi.py on
PATH_PREFIX before Django. Without JavaScript the join page posts to the ordinary Django view.

    POST /fastjoin/<venue>/                      multipart: ticket, name, organisation, contact, photo
      202 {"receipt", "status": "queued", "status_url"}     400/403/410/413 {"message", "field"}
    GET  /fastjoin/status/<receipt>/?wait=20     {"status": "queued" | "done" | "refused", ...}
"""

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from zhongyan.core.errors import DomainError
from zhongyan.events.joinqueue import Job, get_queue, new_receipt
from zhongyan.events.selfies import sniff_picture
from zhongyan.events.services import normalise_contact
from zhongyan.events.tickets import NONCE_COOKIE, read_ticket

log = logging.getLogger(__name__)

PATH_PREFIX = "/fastjoin/"
_JOIN = re.compile(r"^/fastjoin/([A-Za-z0-9_-]{1,32})/$")
_STATUS = re.compile(r"^/fastjoin/status/([A-Za-z0-9_-]{8,64})/$")
# The browser sends a 256 px square JPEG (~15-25 KB); the form fields are a few hundred bytes.
MAX_BODY_BYTES = 1_500_000
MAX_FIELD_CHARS = 300
MAX_WAIT_SECONDS = 25.0

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Refused(Exception):
    """A refusal whose message is rendered when it is answered, in the guest's language: the
    ticket's once it is read, else the page's. Nothing on the accepted path activates a language
    (asgiref's context-local lookups cost ~0.1 ms a join under load)."""

    def __init__(self, status: int, message: Any, field: str = "", language: str | None = None) -> None:
        super().__init__(status)
        self.status, self.message, self.field, self.language = status, message, field, language


def mount(
    fallback: Callable[[Scope, Receive, Send], Awaitable[None]],
) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The HTTP application for zhongyan/asgi.py: PATH_PREFIX here, everything else to `fallback`."""

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].startswith(PATH_PREFIX):
            await application(scope, receive, send)
        else:
            await fallback(scope, receive, send)

    return dispatch


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    path = scope["path"]
    if match := _JOIN.match(path):
        await _join(scope, receive, send, match.group(1))
    elif match := _STATUS.match(path):
        await _status(scope, send, match.group(1))
    else:
        await _respond(send, 404, {"message": "not found"})


async def _respond(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope["headers"]}


def _cookie(header: bytes, name: str) -> str:
    for part in header.decode("latin-1").split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def _from_this_site(headers: dict[bytes, bytes]) -> bool:
    """The host is one of ours and the Origin header names it (or a trusted origin)."""
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc == host or origin in settings.CSRF_TRUSTED_ORIGINS


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


_PARAM = re.compile(r'(\w+)="([^"]*)"')


def parse_form(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]] | None:
    if content_type.partition(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=12)
        return {name: values[0].replace("\x00", "")[:MAX_FIELD_CHARS] for name, values in fields.items()}, {}
    return parse_multipart(content_type, body)


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]] | None:
    """The browser's FormData: a few text fields and one file. None for anything malformed."""
    kind, _sep, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return None
    boundary = next(
        (
            value.strip().strip('"')
            for name, _eq, value in (p.strip().partition("=") for p in params.split(";"))
            if name.lower() == "boundary"
        ),
        "",
    )
    if not boundary or len(boundary) > 200:
        return None
    parts = body.split(b"--" + boundary.encode("latin-1"))
    if len(parts) < 2 or len(parts) > 12 or not parts[-1].startswith(b"--"):
        return None
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in parts[1:-1]:
        head, separator, content = part[2:-2].partition(b"\r\n\r\n")
        if not (separator and part.startswith(b"\r\n") and part.endswith(b"\r\n")):
            return None
        params_found: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _colon, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                params_found = dict(_PARAM.findall(value))
        name = params_found.get("name")
        if not name:
            return None
        if "filename" in params_found:
            if content:
                files[name] = content
        else:
            # PostgreSQL refuses NUL in text, as the ordinary site strips it in a middleware.
            fields[name] = content.decode("utf-8", "replace").replace("\x00", "")[:MAX_FIELD_CHARS]
    return fields, files


async def _join(scope: Scope, receive: Receive, send: Send, venue_public_id: str) -> None:
    if scope["method"] != "POST":
        await _respond(send, 405, {"message": "POST only"})
        return
    headers = _headers(scope)
    # The page's language, for the refusals that come before the ticket is read.
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
    language = asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        job = await _checked_job(receive, headers, venue_public_id)
        receipt = await get_queue().submit(job)
    except Refused as refused:
        with translation.override(refused.language or language):
            message = str(refused.message)
        await _respond(send, refused.status, {"message": message, "field": refused.field})
        return
    except Exception:
        log.exception("the join queue is unreachable")
        with translation.override(language):
            message = str(_("The screen is very busy. Please try again in a moment."))
        await _respond(send, 503, {"message": message})
        return
    await _respond(send, 202, {"receipt": receipt, "status": "queued", "status_url": f"{PATH_PREFIX}status/{receipt}/"})


async def _checked_job(receive: Receive, headers: dict[bytes, bytes], venue_public_id: str) -> Job:
    """Every check that needs no database. Raises Refused with a translated message."""
    if not _from_this_site(headers):
        raise Refused(403, _("This page is out of date. Reload it and try again."))
    try:
        length = int(headers.get(b"content-length", b"-1"))
    except ValueError:
        length = -1
    too_large = _("The photo is too large. Take a new one or pick a smaller picture.")
    if length > MAX_BODY_BYTES:
        raise Refused(413, too_large, "photo")
    body = await _read_body(receive, MAX_BODY_BYTES)
    if body is None:
        raise Refused(413, too_large, "photo")
    parsed = parse_form(headers.get(b"content-type", b"").decode("latin-1"), body)
    if parsed is None:
        raise Refused(400, _("This page is out of date. Reload it and try again."))
    fields, files = parsed
    ticket = read_ticket(fields.get("ticket", ""))
    if ticket is None or ticket.venue_public_id != venue_public_id:
        raise Refused(410, _("This join page has expired. Scan the code on the screen again."))
    if not constant_time_compare(_cookie(headers.get(b"cookie", b""), NONCE_COOKIE), ticket.nonce):
        raise Refused(403, _("This page is out of date. Reload it and try again."))
    name = fields.get("name", "").strip()
    contact = ""
    if ticket.user_id:
        key = f"{ticket.event_id}:user:{ticket.user_id}"
    else:
        if not name:
            raise Refused(400, _("Tell us your name, so the others know who joined."), "name", ticket.language)
        if not fields.get("contact", "").strip():
            raise Refused(
                400,
                _("Enter your e-mail address or mobile number, so a second tap finds you again."),
                "contact",
                ticket.language,
            )
        try:
            contact = normalise_contact(fields["contact"])
        except DomainError as error:
            raise Refused(400, error.message, "contact", ticket.language) from error
        key = f"{ticket.event_id}:contact:{contact}"
    photo = files.get("photo")
    if photo is not None:
        try:
            sniff_picture(photo)
        except DomainError as error:
            raise Refused(400, error.message, "photo", ticket.language) from error
    return Job(
        receipt=new_receipt(),
        key=key,
        ticket=ticket.as_dict(),
        name=name[:100],
        contact=contact,
        organisation=fields.get("organisation", "").strip()[:200],
        photo=photo,
    )


async def _status(scope: Scope, send: Send, receipt: str) -> None:
    if scope["method"] != "GET":
        await _respond(send, 405, {"message": "GET only"})
        return
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    try:
        wait = min(MAX_WAIT_SECONDS, max(0.0, float(query.get("wait", ["0"])[0])))
    except ValueError:
        wait = 0.0
    queue = get_queue()
    status = await queue.wait(receipt, wait) if wait else await queue.status(receipt)
    if status is None:
        await _respond(send, 404, {"status": "unknown"})
        return
    await _respond(send, 200, status)
