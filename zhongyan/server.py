"""Zhongyan's server: N uvicorn worker processes, each with a listening socket of its own.

    .venv/bin/python -m zhongyan.server --host 127.0.0.1 --port 8001 --workers 4

Why not `uvicorn --workers N`: its workers share one listening socket, and each worker's event
loop accepts every connection waiting when it wakes (up to the backlog). Keep-alive connections
(a reverse proxy's upstream pool, a load test, a crowd of phones joining at once) then pile
onto whichever worker woke first: measured here, 31 of 32 connections on one of two workers,
one core busy and the other idle, and throughput halved at random from one run to the next.
With SO_REUSEPORT every worker listens on a socket of its own and the kernel spreads new
connections over them evenly. ADR 0016 has the measurements.

The parent only supervises: it starts the workers (each imports the application itself), starts
a worker again if one dies, and on SIGTERM or SIGINT passes the signal on and waits for them to
finish their requests. Linux (SO_REUSEPORT balancing) is required.
"""

import argparse
import ctypes
import ctypes.util
import logging
import os
import signal
import socket
import sys
import time
from types import FrameType

log = logging.getLogger("zhongyan.server")

# A worker that dies this soon after starting, this many times in a row, is not started again.
FAST_FAILURE_S = 5.0
FAST_FAILURES_ALLOWED = 3
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def run_worker(options: argparse.Namespace) -> None:
    """In the worker process: its own socket, then uvicorn serving the application on it."""
    import uvicorn

    if options.app_dir:
        sys.path.insert(0, options.app_dir)
    config = uvicorn.Config(
        options.app,
        host=options.host,
        port=options.port,
        lifespan="off",
        access_log=False,
        log_level=options.log_level,
        backlog=options.backlog,
        http=options.http,
        loop=options.loop,
        timeout_graceful_shutdown=options.graceful_timeout,
        # The wall's frames are mostly base64 JPEG, which deflate cannot shrink: compressing them
        # cost ~2 s of CPU in a burst of 3,000 joins with three screens (bench/event_burst.py).
        ws_per_message_deflate=False,
    )
    sock = listening_socket(options.host, options.port, options.backlog)
    uvicorn.Server(config).run(sockets=[sock])


def _stop_with_parent(parent: int) -> None:
    """A worker whose supervisor is killed outright (SIGKILL, OOM) gets SIGTERM from the kernel
    instead of serving on as an orphan nobody will stop."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the supervisor died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


class Supervisor:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.workers: dict[int, float] = {}
        self.stopping = False
        self.fast_failures = 0

    def start_worker(self) -> None:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _stop_with_parent(parent)
            code = 0
            try:
                run_worker(self.options)
            except BaseException:  # a worker reports its own failure and exits; the parent decides
                logging.getLogger("zhongyan.server").exception("worker %d failed", os.getpid())
                code = 1
            finally:
                os._exit(code)
        self.workers[pid] = time.monotonic()

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.workers):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                self.workers.pop(pid, None)

    def run(self) -> int:
        # The parent's socket is only a check that the address is free and allowed; workers open their own.
        listening_socket(self.options.host, self.options.port, self.options.backlog).close()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for _ in range(self.options.workers):
            self.start_worker()
        host, port, count = self.options.host, self.options.port, len(self.workers)
        workers = "1 worker process" if count == 1 else f"{count} worker processes"
        print(f"Serving on http://{host}:{port} with {workers}", file=sys.stderr, flush=True)
        while self.workers:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries, kept for clarity
                continue
            started = self.workers.pop(pid, None)
            if started is None or self.stopping:
                continue
            lived = time.monotonic() - started
            self.fast_failures = self.fast_failures + 1 if lived < FAST_FAILURE_S else 0
            log.error("worker %d exited (status %d) after %.1f s", pid, status, lived)
            if self.fast_failures >= FAST_FAILURES_ALLOWED:
                log.error("workers keep failing at start; stopping")
                self.stop(signal.SIGTERM, None)
                return 1
            time.sleep(1 if self.fast_failures else 0)
            self.start_worker()
        return 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", default="zhongyan.asgi:application", help="the ASGI application (module:attribute)")
    parser.add_argument("--app-dir", default="", help="a directory to import the application from")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS") or 2))
    parser.add_argument("--backlog", type=int, default=4096, help="pending connections per worker")
    parser.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"])
    parser.add_argument("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--graceful-timeout", type=int, default=30, help="seconds to finish requests on stop")
    options = parser.parse_args(argv)
    if options.workers < 1:
        parser.error("--workers must be at least 1")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    logging.basicConfig(level=options.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return Supervisor(options).run()


if __name__ == "__main__":
    sys.exit(main())
