"""Issue 6's burst: N guests join one event at once from their phones while K venue screens watch.

    .venv/bin/python bench/event_burst.py                   # 3,000 guests, 3 screens, 2 workers, PostgreSQL
    .venv/bin/python bench/event_burst.py --quick           # 300 guests
    .venv/bin/python bench/event_burst.py --database sqlite --workers 1 --guests 1000 --ramp 30

One run prepares a throwaway production instance (ZHONGYAN_ENV=production, a random SECRET_KEY,
collected static files with the manifest, a bench database created and dropped, Redis for the
cache and the channel layer under a prefix of its own), creates an event with K venues, serves
`zhongyan.asgi:application` with `python -m zhongyan.server --workers N --http httptools --loop
uvloop` (uvicorn workers with a socket each) on 127.0.0.1, and drives it from a separate process (this file with
`--drive`): K screens listen on the wall WebSocket, one per venue, and every guest, on its own
keep-alive connection like a phone,

1. GETs the scan URL (the QR code's join link: the session gets its grant), then the join page
   (the CSRF token) -- all guests at once, measured as `scan` but not as the join;
2. waits until every guest has the form, then all POST the join at once (`--ramp S` spreads the
   POSTs over S seconds instead): name, organisation, a unique e-mail address and a selfie;
   the JOIN latency is this POST alone, from its first byte sent to its response (302);
3. then loads the "you are on the screen" page the redirect points to (not measured).

A face APPEARS on a screen when the screen has its frame and its picture: the frame's inline
image, or else the thumbnail URL fetched like the wall's browser does (6 connections per
screen). Appearance is measured from the POST's first byte to the moment the last of the K
screens has the face. Prints one JSON document on stdout; progress goes to stderr. Everything
it starts is stopped before it exits, and the whole run is bounded by `--deadline`.
"""

import argparse
import asyncio
import contextlib
import hashlib
import html
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
TARGET = {"guests": 3000, "errors": 0, "join_p99_s": 2.0, "appear_every_screen_p99_s": 3.0}
SCREEN_CONNECTIONS = 6  # what a browser opens per host for the wall's pictures
CLIENT_SIZE = 256  # join.js crops the selfie square and draws it on a canvas this size

SETUP = """
import datetime as dt, json
from django.utils import timezone
from zhongyan.accounts.models import User
from zhongyan.events.services import create_event
from zhongyan.events.tokens import make_join_token, make_screen_key
host = User.objects.create_user("burst-host@example.com", "burst-host-password", is_staff=True)
names = [{"zh-hans": f"会场{i}", "en": f"Venue {i}"} for i in range(%(screens)d)]
event = create_event(actor=host, title={"zh-hans": "突发", "en": "Burst"}, starts_at=timezone.now(),
                     ends_at=timezone.now() + dt.timedelta(hours=4), venues=names, join_token_seconds=300)
venues = [{"id": v.public_id, "key": make_screen_key(v.public_id), "token": make_join_token(v.public_id, 300)}
          for v in event.venues.order_by("position")]
print("BURST" + json.dumps({"event": event.public_id, "venues": venues}))
"""

COUNT = """
from zhongyan.events.models import Attendance
print("BURST", Attendance.objects.count(), Attendance.objects.on_wall().count())
"""


def log(message: str) -> None:
    print(f"[event_burst {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest rank, in seconds rounded to the millisecond."""
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return round(ordered[index], 3)


def summary(values: list[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values),
        "p50_s": percentile(values, 0.50),
        "p90_s": percentile(values, 0.90),
        "p99_s": percentile(values, 0.99),
        "max_s": round(max(values), 3) if values else None,
    }


# --- the load: a separate process -----------------------------------------------------------------


def make_selfies(count: int, seed: int = 6) -> list[bytes]:
    """Phone-like selfies as the join page's JavaScript sends them: a 3:4 portrait photo cropped
    square and drawn on a 256 px canvas, JPEG quality 0.85. A face-like figure on a textured,
    noisy background, so the file is like a photo rather than a flat colour."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    selfies = []
    for _ in range(count):
        width, height = 540, 720
        base = Image.effect_noise((width // 4, height // 4), rng.randint(40, 70)).convert("RGB")
        base = base.resize((width, height), Image.Resampling.BICUBIC)
        tint = Image.new("RGB", (width, height), (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200)))
        image = Image.blend(base, tint, 0.55)
        draw = ImageDraw.Draw(image)
        cx, cy = width // 2 + rng.randint(-60, 60), height // 2 + rng.randint(-80, 40)
        fw, fh = rng.randint(150, 200), rng.randint(200, 250)
        skin = (rng.randint(190, 235), rng.randint(150, 190), rng.randint(120, 160))
        draw.ellipse((cx - fw // 2, cy - fh // 2, cx + fw // 2, cy + fh // 2), fill=skin)
        for side in (-1, 1):
            ex = cx + side * fw // 5
            draw.ellipse((ex - 18, cy - fh // 8 - 9, ex + 18, cy - fh // 8 + 9), fill=(40, 30, 30))
            draw.rectangle((ex - 24, cy - fh // 8 - 22, ex + 24, cy - fh // 8 - 16), fill=(50, 35, 30))
        draw.rectangle((cx - 8, cy - 5, cx + 8, cy + 30), fill=tuple(max(0, c - 30) for c in skin))
        draw.ellipse((cx - 40, cy + fh // 4 - 8, cx + 40, cy + fh // 4 + 12), fill=(150, 60, 60))
        grain = Image.effect_noise((width, height), 18).convert("RGB")
        image = Image.blend(image.filter(ImageFilter.GaussianBlur(1.2)), grain, 0.12)
        # join.js: the square a little above the middle, drawn on a 256 px canvas, JPEG 0.85.
        side = min(width, height)
        top = max(0, min(height - side, round(height * 0.4 - side / 2)))
        image = image.crop(((width - side) // 2, top, (width - side) // 2 + side, top + side))
        image = image.resize((CLIENT_SIZE, CLIENT_SIZE), Image.Resampling.BILINEAR)
        out = BytesIO()
        image.save(out, format="JPEG", quality=85)
        selfies.append(out.getvalue())
    return selfies


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((value for key, value in self.headers if key == name), "")

    def cookies(self) -> dict[str, str]:
        found = {}
        for key, value in self.headers:
            if key == "set-cookie":
                pair = value.split(";", 1)[0]
                name, _sep, content = pair.partition("=")
                found[name.strip()] = content.strip()
        return found


class Connection:
    """One HTTP/1.1 keep-alive connection on raw sockets (httpx costs ~1 ms of CPU a request, which
    on a 2-core machine shared with the server would measure the client)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b"", sent: list[float] | None = None
    ) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: zhongyan-burst/1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        if sent is not None:
            sent.append(time.monotonic())
        self.writer.write(head + body)
        await self.writer.drain()
        assert self.reader is not None
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            await self.close()
            raise HttpError("connection closed") from exc
        status_line, *header_lines = raw.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        pairs = []
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                pairs.append((key.strip().lower(), value.strip()))
        response = Response(status, pairs, b"")
        if response.header("transfer-encoding").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            response.body = b"".join(chunks)
        else:
            response.body = await self.reader.readexactly(int(response.header("content-length") or 0))
        if response.header("connection").lower() == "close":
            await self.close()
        return response


def multipart(fields: dict[str, str], photo: bytes) -> tuple[str, bytes]:
    boundary = "----burst" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="selfie.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


@dataclass
class Outcome:
    errors: Counter[str] = field(default_factory=Counter)
    scan_latency: list[float] = field(default_factory=list)
    join_latency: list[float] = field(default_factory=list)
    joined_at: dict[str, float] = field(default_factory=dict)  # guest name -> POST's send time
    receipt_latency: list[float] = field(default_factory=list)  # POST sent -> the phone knows it is on
    first_post: float = 0.0
    last_answer: float = 0.0


class Screen:
    """A venue's wall: the WebSocket frames, and each face's picture as the browser loads it."""

    def __init__(self, index: int, port: int, venue: dict[str, str], outcome: Outcome, fetch: bool) -> None:
        self.index = index
        self.port = port
        self.venue = venue
        self.outcome = outcome
        self.fetch = fetch
        self.appeared: dict[str, float] = {}
        self.requested: set[str] = set()
        self.last_seq = 0
        self.closes: Counter[str] = Counter()
        self.frames = 0
        self.queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self.ready = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    def arrived(self, guest: dict[str, Any]) -> None:
        self.last_seq = max(self.last_seq, int(guest.get("seq") or 0))
        image = guest.get("picture") or guest.get("thumbnail", "")
        if image.startswith("data:") or not self.fetch:
            self.appeared.setdefault(guest["name"], time.monotonic())
        elif guest["name"] not in self.requested:
            self.requested.add(guest["name"])
            self.queue.put_nowait((guest["name"], image))

    async def catch_up(self) -> None:
        """What wall.js does on every (re)connect: fetch the faces after the last one it has."""
        connection = Connection(self.port)
        try:
            more = True
            while more:
                path = f"/screens/{self.venue['id']}/feed/?key={self.venue['key']}&after={self.last_seq}"
                response = await asyncio.wait_for(connection.request("GET", path, {"Accept": "application/json"}), 60)
                if response.status != 200:
                    self.outcome.errors[f"feed_http_{response.status}"] += 1
                    return
                feed = json.loads(response.body)
                for guest in feed["guests"]:
                    self.arrived(guest)
                more = bool(feed["more"])
        except (TimeoutError, OSError, HttpError, ValueError) as exc:
            self.outcome.errors[f"feed_{type(exc).__name__}"] += 1
        finally:
            await connection.close()

    async def run(self) -> None:
        """Listen like wall.js: on a dropped socket, reconnect after a second and catch up."""
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{self.port}/ws/events/screens/{self.venue['id']}/?key={self.venue['key']}"
        self.tasks = [asyncio.create_task(self.pictures()) for _ in range(SCREEN_CONNECTIONS)]
        while True:
            try:
                async with connect(
                    url, origin=f"http://127.0.0.1:{self.port}", max_size=1 << 24, ping_interval=None
                ) as ws:  # type: ignore[arg-type]
                    if self.ready.is_set():
                        await self.catch_up()
                    self.ready.set()
                    async for message in ws:
                        frame = json.loads(message)
                        if frame.get("type") == "joined":
                            self.frames += 1
                            self.arrived(frame["guest"])
                        elif frame.get("type") == "joined_batch":
                            self.frames += 1
                            for guest in frame["guests"]:
                                self.arrived(guest)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure of a screen is reported, and the screen reconnects
                self.closes[type(exc).__name__] += 1
            else:
                self.closes["closed"] += 1
            if not self.ready.is_set():
                self.outcome.errors["screen_could_not_connect"] += 1
                self.ready.set()
                return
            await asyncio.sleep(1)

    async def pictures(self) -> None:
        connection = Connection(self.port)
        try:
            while True:
                name, url = await self.queue.get()
                try:
                    response = await asyncio.wait_for(connection.request("GET", url, {"Accept": "image/*"}), 30)
                except (TimeoutError, OSError, HttpError, ValueError) as exc:
                    self.outcome.errors[f"picture_{type(exc).__name__}"] += 1
                    await connection.close()
                    continue
                if response.status == 200 and response.body:
                    self.appeared.setdefault(name, time.monotonic())
                else:
                    self.outcome.errors[f"picture_http_{response.status}"] += 1
        finally:
            await connection.close()


async def guest(
    number: int,
    config: dict[str, Any],
    selfie: bytes,
    outcome: Outcome,
    form_ready: asyncio.Event,
    go: asyncio.Event,
    have_form: list[int],
) -> None:
    port, run_id, timeout = config["port"], config["run_id"], config["timeout"]
    venue = config["venues"][number % len(config["venues"])]
    origin = f"http://127.0.0.1:{port}"
    name = f"Guest {number:05d} {run_id}"
    connection = Connection(port)
    cookies: dict[str, str] = {}

    def cookie_header() -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}

    def done_with_form() -> None:
        have_form[0] -= 1
        if have_form[0] == 0:
            form_ready.set()

    try:
        started = time.monotonic()
        try:
            scan = await asyncio.wait_for(
                connection.request("GET", f"/j/{venue['id']}/{venue['token']}/", {"Accept": "text/html"}), timeout
            )
            cookies.update(scan.cookies())
            if scan.status != 302:
                outcome.errors[f"scan_http_{scan.status}"] += 1
                return
            page = await asyncio.wait_for(
                connection.request("GET", f"/join/{venue['id']}/", {"Accept": "text/html", **cookie_header()}),
                timeout,
            )
            cookies.update(page.cookies())
            if page.status != 200:
                outcome.errors[f"form_http_{page.status}"] += 1
                return
            ticket = re.search(rb'data-ticket="([^"]+)"', page.body)
            fast_url = re.search(rb'data-fast-url="([^"]+)"', page.body)
            if ticket is None or fast_url is None:
                outcome.errors["form_without_ticket"] += 1
                return
            outcome.scan_latency.append(time.monotonic() - started)
        except (TimeoutError, OSError, HttpError, ValueError) as exc:
            outcome.errors[f"scan_{type(exc).__name__}"] += 1
            return
        finally:
            done_with_form()

        # The guest now takes a selfie: the phone's idle connection is gone by the time it posts
        # (uvicorn closes idle keep-alive connections after 5 s), so the POST opens a new one.
        await connection.close()
        await go.wait()
        if config["ramp"]:
            await asyncio.sleep(random.random() * config["ramp"])
        # join.js: FormData with the page's ticket, the fields and the canvas' JPEG, to the lean URL.
        content_type, body = multipart(
            {
                "ticket": html.unescape(ticket.group(1).decode()),
                "name": name,
                "organisation": f"Org {number % 97}",
                "contact": f"guest{number}.{run_id}@example.com",
            },
            selfie,
        )
        headers = {"Content-Type": content_type, "Origin": origin, **cookie_header()}
        sent: list[float] = []
        url = html.unescape(fast_url.group(1).decode())
        try:
            answer = await asyncio.wait_for(connection.request("POST", url, headers, body, sent=sent), timeout)
        except (TimeoutError, OSError, HttpError, ValueError) as exc:
            outcome.errors[f"join_{type(exc).__name__}"] += 1
            return
        finished = time.monotonic()
        outcome.last_answer = max(outcome.last_answer, finished)
        if answer.status != 202:
            outcome.errors[f"join_http_{answer.status}"] += 1
            return
        outcome.join_latency.append(finished - sent[0])
        outcome.joined_at[name] = sent[0]
        # Then the phone waits for its receipt (long polls) and shows "you are on the screen".
        status_url = json.loads(answer.body)["status_url"] + "?wait=20"
        try:
            while True:
                polled = await asyncio.wait_for(connection.request("GET", status_url, {}), timeout)
                status = json.loads(polled.body).get("status")
                if status != "queued":
                    break
        except (TimeoutError, OSError, HttpError, ValueError) as exc:
            outcome.errors[f"receipt_{type(exc).__name__}"] += 1
            return
        if status == "done":
            outcome.receipt_latency.append(time.monotonic() - sent[0])
        else:
            outcome.errors[f"receipt_{status}"] += 1
    finally:
        await connection.close()


async def drive(config: dict[str, Any]) -> dict[str, Any]:
    outcome = Outcome()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    selfies = make_selfies(16)
    screens = [
        Screen(index, config["port"], venue, outcome, config["fetch_pictures"])
        for index, venue in enumerate(config["venues"][: config["screens"]])
    ]
    screen_tasks = [asyncio.create_task(screen.run()) for screen in screens]
    await asyncio.wait_for(asyncio.gather(*(screen.ready.wait() for screen in screens)), 30)
    log(f"{len(screens)} screens connected; {config['guests']} guests scan the code and open the form")

    form_ready, go = asyncio.Event(), asyncio.Event()
    have_form = [config["guests"]]
    started = time.monotonic()
    guests = [
        asyncio.create_task(guest(n, config, selfies[n % len(selfies)], outcome, form_ready, go, have_form))
        for n in range(config["guests"])
    ]
    await form_ready.wait()
    scan_seconds = time.monotonic() - started
    log(f"every guest has the form after {scan_seconds:.1f} s; all post the join now")
    await asyncio.sleep(0.5)
    outcome.first_post = time.monotonic()
    go.set()
    await asyncio.gather(*guests)
    joins_seconds = outcome.last_answer - outcome.first_post if outcome.last_answer else 0.0
    log(f"{len(outcome.joined_at)} joins answered in {joins_seconds:.1f} s; waiting for the screens")

    settle_until = time.monotonic() + config["settle"]
    expected = set(outcome.joined_at)
    while time.monotonic() < settle_until:
        if all(expected <= screen.appeared.keys() for screen in screens):
            break
        await asyncio.sleep(0.1)
    for task in screen_tasks:
        task.cancel()
    for screen in screens:
        for task in screen.tasks:
            task.cancel()
    await asyncio.gather(*screen_tasks, *(t for s in screens for t in s.tasks), return_exceptions=True)

    appear: list[float] = []
    missing = 0
    for name, sent in outcome.joined_at.items():
        times = [screen.appeared.get(name) for screen in screens]
        if any(t is None for t in times):
            missing += 1
            continue
        appear.append(max(t for t in times if t is not None) - sent)
    if missing:
        outcome.errors["missing_on_a_screen"] = missing
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "joins": len(outcome.joined_at),
        "joins_per_s": round(len(outcome.joined_at) / joins_seconds, 1) if joins_seconds else None,
        "join_seconds": round(joins_seconds, 2),
        "join_latency": summary(outcome.join_latency),
        "appear_on_every_screen": summary(appear),
        "phone_told_on_screen": summary(outcome.receipt_latency),
        "scan_and_form": {**summary(outcome.scan_latency), "all_guests_ready_s": round(scan_seconds, 2)},
        "frames_per_screen": [screen.frames for screen in screens],
        "screen_disconnects": [dict(screen.closes) for screen in screens],
        "errors": sum(outcome.errors.values()),
        "error_kinds": dict(outcome.errors),
        "selfie_bytes": {"min": min(map(len, selfies)), "max": max(map(len, selfies))},
        "generator_cpu_s": round(usage.ru_utime + usage.ru_stime - usage_before.ru_utime - usage_before.ru_stime, 1),
    }


def drive_main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(asyncio.wait_for(drive(config), config["deadline"]))
    json.dump(result, sys.stdout)


# --- the orchestration ------------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, str(REPO_DIR / "manage.py"), *args]
    result = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-3000:]}")


def collect_static(env: dict[str, str], workdir: Path) -> None:
    """STATIC_ROOT with the hashed and compressed copy production serves. Compressing every file
    takes a minute and changes nothing measured here, so the copy is kept in
    var/bench-static-burst/<content hash>/ and reused while no static file changes."""
    sources = workdir / "static-sources"
    manage({**env, "STATIC_MANIFEST": "0", "STATIC_ROOT": str(sources)}, "collectstatic", "--no-input", "-v", "0")
    digest = hashlib.sha256()
    for path in sorted(p for p in sources.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(sources)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    cache_root = REPO_DIR / "var" / "bench-static-burst"
    cached = cache_root / digest.hexdigest()[:20]
    env["STATIC_ROOT"] = str(cached)
    if (cached / "staticfiles.json").exists():
        return
    shutil.rmtree(cache_root, ignore_errors=True)  # only one generation is ever useful
    log(f"collecting static files into {cached} (hashing and compressing, about a minute)")
    try:
        manage(env, "collectstatic", "--no-input", "-v", "0")
    except BaseException:
        shutil.rmtree(cached, ignore_errors=True)
        raise


def stop(process: subprocess.Popen[bytes]) -> None:
    """The server runs in its own process group: stop it and its workers, nothing else."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_services(database: str) -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        log("starting redis-server")
        subprocess.run(["redis-server", "--daemonize", "yes"], check=True, timeout=30)
        time.sleep(1)
    if database == "postgres":
        import psycopg

        try:
            psycopg.connect(PG_ADMIN_URL, connect_timeout=2).close()
        except psycopg.OperationalError:
            log("starting PostgreSQL")
            subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=True, timeout=60)
            time.sleep(2)


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def environment(workdir: Path, args: argparse.Namespace, prefix: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="zhongyan.settings",
        ZHONGYAN_ENV="production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ZHONGYAN_VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_MANIFEST="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        DATABASE_POOL_MAX_SIZE=str(args.pool),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO_DIR),
    )
    if args.database == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{prefix.replace('-', '_')}"
    return env


def shell(env: dict[str, str], code: str) -> str:
    command = [sys.executable, str(REPO_DIR / "manage.py"), "shell", "-c", code]
    result = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"manage.py shell failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int, workdir: Path) -> Any:
    port = free_port()
    command = [sys.executable, "-m", "zhongyan.server", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--http", "httptools", "--loop", "uvloop", "--backlog", "4096"]
    log_file = workdir / "server.log"
    with log_file.open("wb") as output:
        # Its own process group: stopping it stops its workers and nothing else.
        process = subprocess.Popen(
            command, cwd=REPO_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    import httpx

    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server exited:\n{log_file.read_text()[-3000:]}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer:\n{log_file.read_text()[-3000:]}")
            time.sleep(0.3)
        yield port, process, log_file
    finally:
        stop(process)


def server_log_summary(log_file: Path) -> dict[str, Any]:
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    kinds = Counter(re.findall(r"^(?:ERROR|WARNING):\s+([^\n]{0,80})", text, flags=re.M))
    # The last line of the first traceback names what failed, without the whole log.
    failure = re.search(r"Traceback[^\n]*\n(?:[ \t][^\n]*\n)+([^\n]+)", text)
    return {
        "lines": text.count("\n"),
        "kinds": dict(kinds.most_common(5)),
        "first_failure": failure and failure.group(1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guests", type=int, default=3000)
    parser.add_argument("--screens", type=int, default=3, help="one per venue of the event")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--quick", action="store_true", help="300 guests")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread the POSTs over this many seconds (0: at once)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a guest waits for one response")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds screens may lag after the last join")
    parser.add_argument("--deadline", type=float, default=420.0, help="hard time limit of the load in seconds")
    parser.add_argument("--pool", type=int, default=16, help="PostgreSQL connections pooled per worker")
    parser.add_argument(
        "--no-fetch-pictures", action="store_true", help="a face appears with its frame, without loading its picture"
    )
    parser.add_argument("--keep-log", help="copy the server's log to this file")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive_main(args.drive)
        return
    if args.quick:
        args.guests = 300
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.time()
    load_before = os.getloadavg()
    ensure_services(args.database)
    prefix = f"zy-burst-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="zhongyan-burst-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir, args, prefix)
        if args.database == "postgres":
            pg_admin(f'CREATE DATABASE "{prefix.replace("-", "_")}"')
        try:
            result = run_burst(args, env, workdir, prefix)
        finally:
            cleanup(args, env, prefix)
    document = {
        "benchmark": "issue 6 event burst: guests join at once while every venue screen watches",
        "setup": {
            "guests": args.guests,
            "screens": args.screens,
            "workers": args.workers,
            "database": args.database,
            "pool_per_worker": args.pool if args.database == "postgres" else None,
            "channel_layer": "channels_redis (127.0.0.1:6379)",
            "server": f"python -m zhongyan.server --workers {args.workers} --http httptools --loop uvloop "
            "--backlog 4096 (ZHONGYAN_ENV=production, DEBUG off, STATIC_MANIFEST=1)",
            "posts": f"spread over {args.ramp:g} s" if args.ramp else "all at once",
            "join_latency": "the POST alone, on a new connection (the scan and form GETs are in scan_and_form)",
            "appearance": "POST sent -> frame and picture on the last of the screens"
            + ("" if not args.no_fetch_pictures else " (pictures not loaded)"),
            "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "elapsed_s": round(time.time() - started, 1),
            "cpus": os.cpu_count(),
            "loadavg_before": [round(v, 2) for v in load_before],
            "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        },
        "target": TARGET,
        **result,
    }
    document["meets_target"] = bool(
        args.guests >= TARGET["guests"]
        and not args.ramp
        and result.get("errors") == 0
        and (result["join_latency"]["p99_s"] or 1e9) <= TARGET["join_p99_s"]
        and (result["appear_on_every_screen"]["p99_s"] or 1e9) <= TARGET["appear_every_screen_p99_s"]
    )
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")


def run_burst(args: argparse.Namespace, env: dict[str, str], workdir: Path, prefix: str) -> dict[str, Any]:
    log(f"preparing a production instance in {workdir} ({args.database})")
    collect_static(env, workdir)
    manage(env, "migrate", "--no-input", "-v", "0")
    found = re.search(r"BURST(\{.*\})", shell(env, SETUP % {"screens": max(args.screens, 1)}))
    assert found is not None
    event = json.loads(found.group(1))
    log(f"serving with python -m zhongyan.server --workers {args.workers}")
    with serve(env, args.workers, workdir) as (port, _process, log_file):
        config = {
            "port": port,
            "venues": event["venues"],
            "screens": args.screens,
            "guests": args.guests,
            "ramp": args.ramp,
            "timeout": args.timeout,
            "settle": args.settle,
            "deadline": args.deadline,
            "fetch_pictures": not args.no_fetch_pictures,
            "run_id": secrets.token_hex(3),
        }
        config_path = workdir / "drive.json"
        config_path.write_text(json.dumps(config))
        command = [sys.executable, str(Path(__file__).resolve()), "--drive", str(config_path)]
        try:
            # The load's progress goes straight to stderr; its JSON comes on stdout.
            driven = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=args.deadline + 30)
        except subprocess.TimeoutExpired as exc:
            raise SystemExit(f"the load did not finish within {args.deadline + 30:.0f} s") from exc
        if driven.returncode != 0:
            raise SystemExit(f"the load failed (exit {driven.returncode}):\n{log_file.read_text()[-3000:]}")
        result: dict[str, Any] = json.loads(driven.stdout)
        result["server_log"] = server_log_summary(log_file)
        if args.keep_log:
            shutil.copyfile(log_file, args.keep_log)
    counted = re.search(r"BURST (\d+) (\d+)", shell(env, COUNT))
    if counted:
        result["database_rows"] = {"attendances": int(counted.group(1)), "on_wall": int(counted.group(2))}
    return result


def cleanup(args: argparse.Namespace, env: dict[str, str], prefix: str) -> None:
    import redis

    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
    if args.database == "postgres":
        with contextlib.suppress(Exception):
            pg_admin(f'DROP DATABASE IF EXISTS "{prefix.replace("-", "_")}" WITH (FORCE)')


if __name__ == "__main__":
    main()
