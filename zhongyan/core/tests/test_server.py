"""zhongyan.server: every worker listens on a socket of its own, so keep-alive connections are
spread over the workers; a worker that dies is started again; SIGTERM stops them all."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

APP = '''
import os

async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    body = str(os.getpid()).encode()
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(sock: socket.socket) -> int:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = int(next(line.split(b":")[1] for line in lines if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(4096)
    return int(body)


def _serving(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                _get(sock)
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    (tmp_path / "tinyapp.py").write_text(APP)
    port = _free_port()
    command = [sys.executable, "-m", "zhongyan.server", "--app", "tinyapp:application", "--app-dir", str(tmp_path)]
    command += ["--port", str(port), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _serving(port)
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        assert process.stdout is not None
        process.stdout.close()


def _workers(process: subprocess.Popen[bytes]) -> set[int]:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return {int(pid) for pid in children}


def test_keep_alive_connections_are_spread_over_the_workers(server: tuple[subprocess.Popen[bytes], int]) -> None:
    _process, port = server
    connections = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(64)]
    try:
        served = Counter(_get(sock) for sock in connections)
    finally:
        for sock in connections:
            sock.close()
    assert len(served) == 2
    assert min(served.values()) >= 12  # 64 connections hashed over two sockets: never 52 on one


def test_a_worker_that_dies_is_started_again(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = server
    before = _workers(process)
    assert len(before) == 2
    os.kill(next(iter(before)), signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (len(_workers(process)) != 2 or _workers(process) == before):
        time.sleep(0.1)
    after = _workers(process)
    assert len(after) == 2
    assert after != before
    _serving(port)


def test_sigterm_stops_every_worker(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, _port = server
    workers = _workers(process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_workers_stop_when_the_supervisor_is_killed(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, _port = server
    workers = _workers(process)
    process.kill()
    process.wait(10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
