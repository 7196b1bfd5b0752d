"""HTTP/1.1 keep-alive load generator: asyncio over raw sockets, one process, prints JSON.

    python bench/load.py --url http://127.0.0.1:8150/ --concurrency 32 --duration 10

Each of `--concurrency` connections sends one GET, reads the whole response, and sends the
next, until `--duration` seconds have passed or `--requests` responses have arrived. The
result is one JSON object: requests/s, p50/p99/max latency in ms, transport errors, non-2xx
responses, status counts, and how much CPU the generator itself used (near 100 % of a core
means the generator, not the server, was the limit).

Raw sockets rather than httpx: httpx spends ~200 µs of CPU per request, which on a small
machine would measure the client. `--serve-trivial` starts a fixed-response server, so the
generator's own ceiling can be measured (run.py does this in every run).
"""

import argparse
import asyncio
import itertools
import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

try:
    import uvloop
except ImportError:  # pragma: no cover - uvicorn[standard] brings it; plain asyncio still works
    uvloop = None

REQUEST_TIMEOUT_S = 10.0
MAX_HEADER_BYTES = 64 * 1024


class ProtocolError(Exception):
    pass


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    bytes_received: int = 0


def build_request(host: str, port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "User-Agent: zhongyan-bench/1", "Accept: text/html"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, int]:
    """Read one response; return (status, connection may be reused, bytes read)."""
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError as exc:
            raise ProtocolError("response header too large") from exc
        status_line, _, header_block = head.partition(b"\r\n")
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ProtocolError(f"bad status line {status_line[:80]!r}")
        status = int(parts[1])
        if 100 <= status < 200:  # interim response: the real one follows
            continue
        break
    length: int | None = None
    chunked = False
    keep_alive = parts[0] == b"HTTP/1.1"
    for line in header_block.split(b"\r\n"):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            token = value.strip().lower()
            keep_alive = token == b"keep-alive" or (keep_alive and token != b"close")
    size = len(head)
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            chunk = int(size_line.split(b";", 1)[0].strip(), 16)
            await reader.readexactly(chunk + 2)
            size += len(size_line) + chunk + 2
            if chunk == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
        size += length
    else:  # no framing: the body ends when the server closes
        size += len(await reader.read())
        keep_alive = False
    return status, keep_alive, size


class Requests:
    """The request each send writes: always the same, or (`distinct`) the same path with a query
    parameter `_n` counting up, so that no two requests ask for the same URL and no cache keyed by
    the URL can answer one from another's work."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str], *, distinct: bool) -> None:
        self.fixed = None if distinct else build_request(host, port, path, headers)
        self.host, self.port, self.path, self.headers = host, port, path, headers
        self.separator = "&" if "?" in path else "?"
        self.counter = itertools.count()

    def next(self) -> bytes:
        if self.fixed is not None:
            return self.fixed
        path = f"{self.path}{self.separator}_n={next(self.counter)}"
        return build_request(self.host, self.port, path, self.headers)


async def connection_loop(
    host: str, port: int, requests: Requests, deadline: float, budget: list[int], stats: Stats
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline and budget[0] > 0:
        budget[0] -= 1
        request = requests.next()
        started = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port, limit=MAX_HEADER_BYTES)
                writer.write(request)
                status, keep_alive, size = await read_response(reader)  # type: ignore[arg-type]
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ProtocolError, ValueError) as exc:
            stats.errors[type(exc).__name__] += 1
            keep_alive = False
            await asyncio.sleep(0.01)  # a refused connection must not spin the loop
        else:
            stats.latencies.append(time.perf_counter() - started)
            stats.statuses[status] += 1
            stats.bytes_received += size
        if not keep_alive and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


async def run_load(
    url: str,
    *,
    concurrency: int,
    duration: float,
    requests: int | None,
    headers: dict[str, str],
    warmup: float,
    distinct: bool = False,
) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("load.py only drives plain http:// on the loopback address")
    host, port = parts.hostname, parts.port or 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = Requests(host, port, path, headers, distinct=distinct)

    if warmup > 0:
        warm = Stats()
        warm_deadline = time.perf_counter() + warmup
        await asyncio.gather(
            *(connection_loop(host, port, request, warm_deadline, [10**9], warm) for _ in range(concurrency))
        )

    stats = Stats()
    budget = [requests if requests is not None else 10**12]
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(connection_loop(host, port, request, deadline, budget, stats) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)

    latencies = sorted(stats.latencies)
    completed = len(latencies)
    non_2xx = sum(count for status, count in stats.statuses.items() if not 200 <= status < 300)
    return {
        "url": url,
        "concurrency": concurrency,
        "distinct_urls": distinct,
        "duration_s": round(elapsed, 3),
        "requests": completed,
        "rps": round(completed / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "max_ms": round((latencies[-1] if latencies else 0.0) * 1000, 2),
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors),
        "non_2xx": non_2xx,
        "statuses": {str(status): count for status, count in sorted(stats.statuses.items())},
        "mean_response_bytes": round(stats.bytes_received / completed) if completed else 0,
        "generator_cpu_percent": round(100 * cpu / elapsed, 1) if elapsed > 0 else 0.0,
    }


# --- a fixed-response server, to measure the generator's own ceiling ----------------------------

TRIVIAL_BODY = b"<!doctype html><title>ok</title><p>ok</p>\n"
TRIVIAL_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
    + str(len(TRIVIAL_BODY)).encode()
    + b"\r\n\r\n"
    + TRIVIAL_BODY
)


class TrivialHTTP(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            self.buffer = self.buffer[end + 4 :]
            self.transport.write(TRIVIAL_RESPONSE)


async def serve_trivial(port: int, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(TrivialHTTP, "127.0.0.1", port)
    bound = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": bound}), flush=True)
    async with server:
        await asyncio.sleep(lifetime)  # bounded: it never outlives the run that started it


def parse_headers(values: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep:
            raise SystemExit(f"--header needs 'Name: value', got {value!r}")
        headers[name.strip()] = content.strip()
    return headers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="http://127.0.0.1:PORT/path to load")
    parser.add_argument("--concurrency", type=int, default=1, help="open connections (default 1)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds to measure (default 10)")
    parser.add_argument("--requests", type=int, default=None, help="stop after this many responses")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds of unmeasured load first")
    parser.add_argument("--header", action="append", default=[], help="extra header 'Name: value' (repeatable)")
    parser.add_argument("--cookie", default="", help="Cookie header value, e.g. 'sessionid=...'")
    parser.add_argument("--distinct", action="store_true", help="a new URL every request (adds _n=<count>)")
    parser.add_argument("--serve-trivial", action="store_true", help="serve a fixed response instead")
    parser.add_argument("--port", type=int, default=0, help="port for --serve-trivial (0: any free port)")
    parser.add_argument("--lifetime", type=float, default=60.0, help="seconds --serve-trivial stays up")
    args = parser.parse_args(argv)

    if uvloop is not None:
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    if args.serve_trivial:
        asyncio.run(serve_trivial(args.port, args.lifetime))
        return
    if not args.url:
        parser.error("--url is required")
    headers = parse_headers(args.header)
    if args.cookie:
        headers["Cookie"] = args.cookie
    result = asyncio.run(
        run_load(
            args.url,
            concurrency=args.concurrency,
            duration=args.duration,
            requests=args.requests,
            headers=headers,
            warmup=args.warmup,
            distinct=args.distinct,
        )
    )
    result["pid"] = os.getpid()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
