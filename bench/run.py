"""Zhongyan's page benchmark: the app served the production way against a bare Django view.

    .venv/bin/python bench/run.py                      # what `make bench` runs
    .venv/bin/python bench/run.py --duration 5 --concurrency 1,32 --workers 2 --pages home,login

One run: prepares a throwaway production-like instance (temporary SQLite database, migrated,
demo data loaded, `collectstatic` with the manifest, cached in var/bench-static/; or the
DATABASE_URL/REDIS_URL given in the environment), measures the load generator's own ceiling
against a fixed-response server, then serves the bare Django project in bench/bare/ and
Zhongyan side by side with `python -m zhongyan.server` (uvicorn workers, same worker count,
DEBUG off, 127.0.0.1 only) and, for each concurrency, drives the bare view, each page, and the
bare view again, from a separate process (bench/load.py).
Prints ONE JSON document on stdout; progress goes to stderr. Every server it starts is stopped
before it exits. See bench/README.md.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
LOAD = BENCH_DIR / "load.py"
DEMO_PASSWORD = os.environ.get("ZHONGYAN_DEMO_PASSWORD", "zhongyan-demo")
SOLVER = "solver@demo.zhongyan.local"
SEED = "seed_bench"


@dataclass(frozen=True)
class Page:
    path: str
    # Measured with the session of this user (signed in once through the real sign-in form).
    login_as: str | None = None
    # A management command that fills the database this page needs (run once before serving).
    prepare: str | None = None
    # Every request a URL of its own (`?_n=<count>` added): no page cache or list cache can answer
    # it, so this measures the first view of a page, not the same page again. Not judged by the target.
    distinct: bool = False


# Later issues add their pages here (name -> Page). `--pages` picks from this list or adds ad-hoc ones.
PAGES: dict[str, Page] = {
    "home": Page("/"),
    "login": Page("/accounts/login/"),
    "dashboard": Page("/dashboard/", login_as="owner@demo.zhongyan.local"),
    # Issue 3: 10,000 demands and 100,000 users (manage.py seed_bench), read by the demo solver.
    "demand_list": Page("/demands/", login_as=SOLVER, prepare=SEED),
    # "氢脆" (hydrogen embrittlement), open demands only: jieba search plus a status filter.
    "demand_search": Page("/demands/?q=%E6%B0%A2%E8%84%86&status=open", login_as=SOLVER, prepare=SEED),
    # Field 5 is "cold-rolling" in a freshly migrated database (the taxonomy is loaded in order).
    "demand_field": Page("/demands/?field=5&sort=deadline", login_as=SOLVER, prepare=SEED),
    # seed_bench's demand 0: public, published, with indicators, fields and answered questions.
    "demand_detail": Page("/demands/bench00000000000/", login_as=SOLVER, prepare=SEED),
    # The same pages as a first view: a new filter combination renders the list from the database,
    # a demand page not seen before in this session renders from the cached demand and fragments.
    "demand_list_first": Page("/demands/?sort=deadline", login_as=SOLVER, prepare=SEED, distinct=True),
    "demand_detail_first": Page("/demands/bench00000000000/", login_as=SOLVER, prepare=SEED, distinct=True),
}
DEFAULT_PAGES = "home,login,dashboard,demand_list,demand_search,demand_field,demand_detail"
DEMAND_PAGES = "demand_list,demand_search,demand_field,demand_detail,demand_list_first,demand_detail_first"

# Issue 3's target at concurrency 32: half the bare view's requests/s, p99 under 100 ms.
TARGET = {"concurrency": 32, "min_ratio_to_bare": 0.5, "max_p99_ms": 100.0, "judged_against": "bare"}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_pages(spec: str, login_as: str | None) -> dict[str, Page]:
    """`home,login`, `name=/path` items, or a JSON object {"name": {"path": ..., "login_as": ...}}."""
    spec = spec.strip()
    if spec.startswith("{"):
        return {name: Page(item["path"], item.get("login_as")) for name, item in json.loads(spec).items()}
    pages: dict[str, Page] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, path = item.partition("=")
        if sep:
            pages[name] = Page(path if path.startswith("/") else f"/{path}", login_as)
        elif name == "demands":
            pages.update({demand_page: PAGES[demand_page] for demand_page in DEMAND_PAGES.split(",")})
        elif name in PAGES:
            pages[name] = PAGES[name]
        else:
            raise SystemExit(f"unknown page {name!r}; known: {', '.join(PAGES)} (or give name=/path)")
    return pages


def free_port() -> int:
    for port in random.sample(range(8150, 8300), 150):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port in 8150-8299")


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, str(REPO_DIR / "manage.py"), *args]
    result = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def collect_static(env: dict[str, str], workdir: Path, use_cache: bool) -> subprocess.Popen[bytes] | None:
    """Point STATIC_ROOT at a collected, hashed and compressed copy of the static files.

    Compressing every file with gzip and Brotli takes a minute or more and does not change the
    pages measured, so the result is kept in var/bench-static/, keyed by the files' content,
    and reused while no static file changes. On a miss the returned process is still
    collecting: wait for it before serving.
    """
    sources = workdir / "static-sources"
    plain = {**env, "STATIC_MANIFEST": "0", "STATIC_ROOT": str(sources)}
    manage(plain, "collectstatic", "--no-input", "--no-post-process", "-v", "0")
    digest = hashlib.sha256()
    for path in sorted(p for p in sources.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(sources)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    cache_root = REPO_DIR / "var" / "bench-static"
    cached = cache_root / digest.hexdigest()[:20]
    if use_cache and (cached / "staticfiles.json").exists():
        env["STATIC_ROOT"] = str(cached)
        log(f"static files unchanged: reusing {cached.relative_to(REPO_DIR)}")
        return None
    if use_cache:
        shutil.rmtree(cache_root, ignore_errors=True)  # only one generation is ever useful
        target = cached
    else:
        target = workdir / "static"
    env["STATIC_ROOT"] = str(target)
    log(f"collecting static files into {target} (hashing and compressing, about a minute)")
    command = [sys.executable, str(REPO_DIR / "manage.py"), "collectstatic", "--no-input", "-v", "0"]
    return subprocess.Popen(command, cwd=REPO_DIR, env={**env, "STATIC_ROOT": str(target)}, stdout=subprocess.DEVNULL)


def app_environment(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="zhongyan.settings",
        ZHONGYAN_ENV="production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ZHONGYAN_VAR_DIR=str(workdir / "var"),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_MANIFEST="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ZHONGYAN_DEMO_PASSWORD=DEMO_PASSWORD,
        CONTRACTS_CA_PASSPHRASE=secrets.token_urlsafe(24),  # production requires one; the CA lives in the temp dir
        LOG_LEVEL="WARNING",
    )
    return env


def stack_environment(app_env: dict[str, str]) -> dict[str, str]:
    """The second ceiling: Zhongyan's own settings, middleware, sessions and database, one bare view."""
    return {**app_env, "DJANGO_SETTINGS_MODULE": "stackbare.settings"}


def bare_environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="bareproject.settings", SECRET_KEY=secrets.token_urlsafe(50))
    return env


def prepare_database(env: dict[str, str], *, skip_demo: bool, commands: list[str]) -> None:
    log("migrating" + ("" if skip_demo else " and loading the demo data"))
    manage(env, "migrate", "--no-input", "-v", "0")
    if not skip_demo:
        try:
            manage(env, "load_demo")
        except SystemExit as exc:
            log(f"load_demo failed, pages behind sign-in will be skipped: {str(exc)[-500:]}")
    for command in commands:
        log(f"manage.py {command}")
        manage(env, *command.split())


def wait_until_serving(port: int, process: subprocess.Popen[bytes], log_file: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n{log_file.read_text()[-3000:]}")
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        except httpx.TransportError:
            time.sleep(0.25)
            continue
        if response.status_code < 500:
            return
        raise SystemExit(f"the server answers {response.status_code}:\n{log_file.read_text()[-3000:]}")
    raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{log_file.read_text()[-3000:]}")


@contextlib.contextmanager
def serve(
    target: str, *, env: dict[str, str], workers: int, workdir: Path, app_dir: Path | None = None
) -> Iterator[int]:
    """Serve `target` exactly as production does (zhongyan.server: N uvicorn workers, a socket of
    their own each, no access log); yield the port."""
    port = free_port()
    command = [sys.executable, "-m", "zhongyan.server", "--app", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    if app_dir is not None:
        command += ["--app-dir", str(app_dir)]
    log_file = workdir / f"server-{port}.log"
    with log_file.open("wb") as output:
        # Its own process group: stopping it stops its worker processes and nothing else.
        process = subprocess.Popen(
            command, cwd=REPO_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_serving(port, process, log_file)
        yield port
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
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


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the real form; return the Cookie header that carries the session."""
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, follow_redirects=False, timeout=20) as client:
        form = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or token is None:
            raise RuntimeError(f"the sign-in page answered {form.status_code} without a CSRF token")
        answer = client.post(
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{base}/accounts/login/"},
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"signing in as {email} failed (HTTP {answer.status_code})")
        # Land on the page the sign-in redirects to, as a browser does: it shows the "signed in"
        # message and deletes the `messages` cookie, which later requests then no longer send.
        client.get(answer.headers["location"])
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def drive(
    url: str, *, concurrency: int, duration: float, warmup: float, cookie: str = "", distinct: bool = False
) -> dict[str, object]:
    """Run the load generator in its own process and return its JSON."""
    command = [sys.executable, str(LOAD), "--url", url, "--concurrency", str(concurrency)]
    command += ["--duration", str(duration), "--warmup", str(warmup)]
    if cookie:
        command += ["--cookie", cookie]
    if distinct:
        command += ["--distinct"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + warmup + 60)
    if result.returncode != 0:
        raise RuntimeError(f"load.py failed: {result.stderr[-2000:]}")
    data = json.loads(result.stdout)
    for key in ("url", "pid", "concurrency"):
        data.pop(key, None)
    return data


def generator_ceiling(duration: float, concurrency: int) -> dict[str, object]:
    """The generator against a fixed-response server: what it can drive at most on this machine."""
    command = [sys.executable, str(LOAD), "--serve-trivial", "--lifetime", str(duration + 30)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True) as server:
        try:
            assert server.stdout is not None
            port = json.loads(server.stdout.readline())["port"]
            return drive(f"http://127.0.0.1:{port}/", concurrency=concurrency, duration=duration, warmup=0.5)
        finally:
            server.stdout.close()  # type: ignore[union-attr]
            stop(server)  # type: ignore[arg-type]


def sign_in_pages(port: int, pages: dict[str, Page]) -> tuple[dict[str, str], dict[str, str]]:
    """One session per user named by a page; return (page name -> cookie, page name -> why skipped)."""
    by_user: dict[str, str] = {}
    cookies: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for name, page in pages.items():
        if not page.login_as:
            cookies[name] = ""
            continue
        try:
            by_user.setdefault(page.login_as, sign_in(port, page.login_as, DEMO_PASSWORD))
        except (RuntimeError, httpx.HTTPError) as exc:
            skipped[name] = str(exc)
            log(f"{name}: skipped: {exc}")
        else:
            cookies[name] = by_user[page.login_as]
    return cookies, skipped


def measure(
    *,
    bare_port: int,
    stack_port: int,
    app_port: int,
    pages: dict[str, Page],
    concurrencies: list[int],
    duration: float,
    warmup: float,
) -> tuple[dict[str, object], dict[str, object], dict[str, dict[str, object]]]:
    """Each concurrency in turn: the bare view, the bare view behind Zhongyan's stack, then every
    page. Measuring the ceilings right next to the pages compared with them keeps the ratios
    honest when the machine's load drifts."""
    stack_user = next((page.login_as for page in pages.values() if page.login_as), None)
    stack_page = {"bare_stack": Page("/", login_as=stack_user)}
    cookies, skipped = sign_in_pages(app_port, {**pages, **stack_page})
    bare: dict[str, object] = {"path": "/", "concurrency": {}}
    stack: dict[str, object] = {"path": "/", "login_as": stack_user, "concurrency": {}}
    results: dict[str, dict[str, object]] = {
        name: {"path": page.path, "login_as": page.login_as, "concurrency": {}} for name, page in pages.items()
    }
    for name, reason in skipped.items():
        results.get(name, stack)["skipped"] = reason
    bare["after_pages"] = {}
    for concurrency in concurrencies:
        log(f"bare / at concurrency {concurrency} for {duration:g} s")
        url = f"http://127.0.0.1:{bare_port}/"
        row = drive(url, concurrency=concurrency, duration=duration, warmup=warmup)
        bare["concurrency"][str(concurrency)] = row  # type: ignore[index]
        if "bare_stack" not in skipped:
            log(f"bare view behind Zhongyan's middleware at concurrency {concurrency} for {duration:g} s")
            url = f"http://127.0.0.1:{stack_port}/"
            row = drive(url, concurrency=concurrency, duration=duration, warmup=warmup, cookie=cookies["bare_stack"])
            stack["concurrency"][str(concurrency)] = row  # type: ignore[index]
        for name, page in pages.items():
            if name in skipped:
                continue
            log(f"{name} {page.path} at concurrency {concurrency} for {duration:g} s")
            url = f"http://127.0.0.1:{app_port}{page.path}"
            options = {"cookie": cookies[name], "distinct": page.distinct}
            row = drive(url, concurrency=concurrency, duration=duration, warmup=warmup, **options)
            results[name]["concurrency"][str(concurrency)] = row  # type: ignore[index]
        # The ceiling again after the pages: the machine's speed drifts, and the ratios are taken
        # against the faster of the two measurements (the stricter comparison).
        log(f"bare / again at concurrency {concurrency} for {duration:g} s")
        url = f"http://127.0.0.1:{bare_port}/"
        bare["after_pages"][str(concurrency)] = drive(url, concurrency=concurrency, duration=duration, warmup=warmup)
    return bare, stack, results


def add_ratios(pages: dict[str, dict[str, object]], bare: dict[str, object], stack: dict[str, object]) -> None:
    """`ratio_to_bare` (the target's ceiling: no middleware, no database) and `ratio_to_bare_stack`
    (the same bare view behind Zhongyan's middleware, session and signed-in user)."""
    bare_rows: dict[str, dict[str, object]] = bare["concurrency"]  # type: ignore[assignment]
    after_rows: dict[str, dict[str, object]] = bare.get("after_pages", {})  # type: ignore[assignment]
    stack_rows: dict[str, dict[str, object]] = stack["concurrency"]  # type: ignore[assignment]

    def bare_ceiling(concurrency: str) -> float:
        measured = [float(rows.get(concurrency, {}).get("rps", 0) or 0) for rows in (bare_rows, after_rows)]  # type: ignore[arg-type]
        return max(measured)

    bare["ceiling_rps"] = {concurrency: bare_ceiling(concurrency) for concurrency in bare_rows}
    for concurrency, row in stack_rows.items():
        ceiling = bare_ceiling(concurrency)
        row["ratio_to_bare"] = round(float(row["rps"]) / ceiling, 3) if ceiling else None  # type: ignore[arg-type]
    for entry in pages.values():
        rows: dict[str, dict[str, object]] = entry["concurrency"]  # type: ignore[assignment]
        for concurrency, row in rows.items():
            ceiling = bare_ceiling(concurrency)
            row["ratio_to_bare"] = round(float(row["rps"]) / ceiling, 3) if ceiling else None  # type: ignore[arg-type]
            stack_ceiling = float(stack_rows.get(concurrency, {}).get("rps", 0) or 0)  # type: ignore[arg-type]
            row["ratio_to_bare_stack"] = (
                round(float(row["rps"]) / stack_ceiling, 3) if stack_ceiling else None  # type: ignore[arg-type]
            )
            if int(concurrency) == TARGET["concurrency"] and not row.get("distinct_urls"):
                row["meets_target"] = bool(
                    row["ratio_to_bare"] is not None
                    and row["ratio_to_bare"] >= TARGET["min_ratio_to_bare"]
                    and float(row["p99_ms"]) < TARGET["max_p99_ms"]  # type: ignore[arg-type]
                    and not row["errors"]
                    and not row["non_2xx"]
                )


def git_revision() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True, timeout=10
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per page and concurrency")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each measurement")
    parser.add_argument("--concurrency", default="1,32", help="comma-separated connection counts (default 1,32)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for every server")
    parser.add_argument("--pages", default=DEFAULT_PAGES, help=f"names from {list(PAGES)}, name=/path items, or JSON")
    parser.add_argument("--login-as", default=None, help="sign in as this demo user for name=/path pages")
    parser.add_argument(
        "--prepare", action="append", default=[], help="extra manage.py command run before serving (repeatable)"
    )
    parser.add_argument("--no-static-cache", action="store_true", help="collect static files afresh into the temp dir")
    parser.add_argument("--skip-demo", action="store_true", help="do not run load_demo")
    parser.add_argument(
        "--skip-seed", action="store_true", help="do not run the pages' own prepare commands (seed_bench)"
    )
    args = parser.parse_args()
    # `timeout` and CI send SIGTERM: unwind through the `finally` blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    concurrencies = sorted({int(value) for value in args.concurrency.split(",") if value.strip()})
    pages = parse_pages(args.pages, args.login_as)
    started = time.time()
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="zhongyan-bench-") as tmp:
        workdir = Path(tmp)
        env = app_environment(workdir)
        log(f"preparing a production-like instance in {workdir}")
        collecting = collect_static(env, workdir, use_cache=not args.no_static_cache)
        try:
            page_commands = [page.prepare for page in pages.values() if page.prepare]
            commands = args.prepare + [command for command in dict.fromkeys(page_commands) if not args.skip_seed]
            prepare_database(env, skip_demo=args.skip_demo, commands=commands)
            if collecting is not None and collecting.wait(timeout=900) != 0:
                shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)
                raise SystemExit("collectstatic failed")
        finally:
            if collecting is not None and collecting.poll() is None:
                collecting.terminate()
                collecting.wait()
                shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)

        log("measuring the load generator against a fixed-response server")
        ceiling = generator_ceiling(min(args.duration, 3.0), max(concurrencies))

        log(f"serving the bare view, the bare view behind Zhongyan's stack and Zhongyan, --workers {args.workers}")
        bare_app = "bareproject.asgi:application"
        bare_dir = BENCH_DIR / "bare"
        with (
            serve(
                bare_app, env=bare_environment(), workers=args.workers, workdir=workdir, app_dir=bare_dir
            ) as bare_port,
            serve(
                "stackbare.asgi:application",
                env=stack_environment(env),
                workers=args.workers,
                workdir=workdir,
                app_dir=BENCH_DIR / "stack",
            ) as stack_port,
            serve("zhongyan.asgi:application", env=env, workers=args.workers, workdir=workdir) as app_port,
        ):
            bare, stack, results = measure(
                bare_port=bare_port,
                stack_port=stack_port,
                app_port=app_port,
                pages=pages,
                concurrencies=concurrencies,
                duration=args.duration,
                warmup=args.warmup,
            )

    add_ratios(results, bare, stack)
    database = os.environ.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite"
    document = {
        "benchmark": "zhongyan pages vs a bare Django view",
        "meta": {
            "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "elapsed_s": round(time.time() - started, 1),
            "revision": git_revision(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_before": [round(value, 2) for value in load_before],
            "loadavg_after": [round(value, 2) for value in os.getloadavg()],
            "server": f"python -m zhongyan.server --workers {args.workers} (DEBUG off, ZHONGYAN_ENV=production)",
            "database": database,
            "cache": "redis" if os.environ.get("REDIS_URL") else "locmem",
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "generator_ceiling": ceiling,
        "target": TARGET,
        "bare": bare,
        "bare_stack": stack,
        "pages": results,
    }
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
