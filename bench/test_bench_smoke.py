"""Keeps the load generator from rotting: one second against its own fixed-response server.
Not a benchmark (`make bench` is); the numbers are not checked, only that it measures."""

import json
import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parent / "load.py"


def test_load_generator_measures_a_local_server() -> None:
    server_command = [sys.executable, str(LOAD), "--serve-trivial", "--lifetime", "20"]
    with subprocess.Popen(server_command, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            port = json.loads(server.stdout.readline())["port"]
            command = [sys.executable, str(LOAD), "--url", f"http://127.0.0.1:{port}/", "--concurrency", "4"]
            command += ["--duration", "1"]
            result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
        finally:
            server.terminate()
            server.stdout.close()  # type: ignore[union-attr]
    data = json.loads(result.stdout)
    assert data["requests"] > 0
    assert data["errors"] == 0
    assert data["non_2xx"] == 0
    assert data["rps"] > 0
    assert 0 < data["p50_ms"] <= data["p99_ms"] <= data["max_ms"]
