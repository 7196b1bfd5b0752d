"""Several ASGI processes share the walls through the Redis channel layer: a guest joins through
one server process and the screen connected to the other one sees the face arrive."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_up(), reason=f"REDIS NOT REACHABLE at {REDIS_URL}: multi-process test skipped"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SETUP = """
import datetime as dt
from django.utils import timezone
from zhongyan.accounts.models import User
from zhongyan.events.models import Event, Venue
from zhongyan.events.tokens import make_join_token, make_screen_key
host = User.objects.create_user("host@example.com", "x")
event = Event.objects.create(title={"en": "Two processes"}, starts_at=timezone.now(),
                             ends_at=timezone.now() + dt.timedelta(hours=1), created_by=host, join_token_seconds=600)
main = Venue.objects.create(event=event, name={"en": "Main"}, is_main=True)
sub = Venue.objects.create(event=event, name={"en": "Sub"}, position=1)
print("VENUES", main.public_id, sub.public_id, make_screen_key(sub.public_id), make_join_token(main.public_id, 600))
"""


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        ZHONGYAN_VAR_DIR=str(tmp_path),
        SECRET_KEY="multi-process-test-" + "k" * 40,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"zy-mp-{os.getpid()}",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # A database of its own, so the suite's test database is left alone.
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'mp.sqlite3'}"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    return env


@pytest.fixture
def servers(environment: dict[str, str]) -> Iterator[list[str]]:
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "zhongyan.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=environment,
            )
        )
        urls.append(f"127.0.0.1:{port}")
    try:
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"server {url} did not start")
                time.sleep(0.3)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def test_a_join_on_one_process_reaches_a_screen_on_the_other(environment: dict[str, str], servers: list[str]) -> None:
    from zhongyan.events.tests.factories import jpeg_bytes

    setup = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    main, sub, screen_key, join_token = re.search(r"VENUES (\S+) (\S+) (\S+) (\S+)", setup.stdout).groups()  # type: ignore[union-attr]
    first, second = servers
    with connect(f"ws://{second}/ws/events/screens/{sub}/?key={screen_key}", origin=f"http://{second}") as screen:
        with httpx.Client(base_url=f"http://{first}", follow_redirects=False) as phone:
            assert phone.get(f"/j/{main}/{join_token}/").status_code == 302
            form = phone.get(f"/join/{main}/")
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
            response = phone.post(
                f"/join/{main}/",
                data={"csrfmiddlewaretoken": csrf, "name": "王工", "contact": "wang@example.com"},
                files={"photo": ("me.jpg", jpeg_bytes(), "image/jpeg")},
                headers={"Referer": f"http://{first}/join/{main}/"},
            )
            assert response.status_code == 302, response.text[:500]
        frame = json.loads(screen.recv(timeout=10))
    assert frame["type"] == "joined"
    assert frame["guest"]["name"] == "王工"
    assert frame["guest"]["venue"] == main
    assert frame["count"] == 1
