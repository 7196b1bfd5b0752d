"""Contract engine benchmark: render, sign (per signature) and verify times, and verifications per second.

Usage: .venv/bin/python bench/contracts.py [--runs N] [--verify-seconds S]
Prints one JSON object. Each run renders the bilingual sample contract, signs it for two parties
in turn (incremental PAdES with a Chinese stamp) and verifies both signatures. Single process,
single thread: on the 2-core reference machine that is one core's worth of throughput.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhongyan.contracts.ca import load_or_create_ca, load_or_create_platform_signer
from zhongyan.contracts.completion import CompletionSigner, render_completion_certificate
from zhongyan.contracts.fonts import stamp_font_path
from zhongyan.contracts.pdf import SAMPLE_FIELDS, render_contract_html, render_contract_pdf
from zhongyan.contracts.signing import sign_pdf, verify_pdf

PASSPHRASE = b"benchmark passphrase only"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(samples: list[tuple[float, float]]) -> dict[str, float]:
    """Wall-clock and CPU-time percentiles: on a shared machine the CPU time is the steadier figure."""
    wall_p50, wall_p95 = _percentiles([wall for wall, _cpu in samples])
    cpu_p50, cpu_p95 = _percentiles([cpu for _wall, cpu in samples])
    return {
        "p50_ms": round(wall_p50 * 1000, 1),
        "p95_ms": round(wall_p95 * 1000, 1),
        "cpu_p50_ms": round(cpu_p50 * 1000, 1),
        "cpu_p95_ms": round(cpu_p95 * 1000, 1),
    }


class _Timer:
    def __init__(self, samples: list[tuple[float, float]]) -> None:
        self.samples = samples

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *_exc: object) -> None:
        self.samples.append((time.perf_counter() - self.wall, time.process_time() - self.cpu))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--verify-seconds", type=float, default=5.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        setup_started = time.perf_counter()
        ca = load_or_create_ca(Path(directory), PASSPHRASE)
        platform_signer = load_or_create_platform_signer(ca, Path(directory), PASSPHRASE)
        owner = ca.issue_signing_certificate(common_name="张伟", organisation="宝山钢铁股份有限公司")
        solver = ca.issue_signing_certificate(common_name="欧阳堃", organisation="东北大学")
        stamp_font_path()
        setup_seconds = time.perf_counter() - setup_started

        html = render_contract_html(SAMPLE_FIELDS)
        render_contract_pdf(html, signature_fields=["party_a", "party_b"])  # warm fontconfig and caches

        render: list[tuple[float, float]] = []
        sign_first: list[tuple[float, float]] = []
        sign_second: list[tuple[float, float]] = []
        verify: list[tuple[float, float]] = []
        completion: list[tuple[float, float]] = []
        signed = b""
        for _ in range(args.runs):
            with _Timer(render):
                contract = render_contract_pdf(html, signature_fields=["party_a", "party_b"])
            with _Timer(sign_first):
                once = sign_pdf(contract.pdf, credentials=owner, field_name="party_a")
            with _Timer(sign_second):
                signed = sign_pdf(once, credentials=solver, field_name="party_b")
            with _Timer(verify):
                report = verify_pdf(signed, ca.trust_roots)
            assert report.complete, report
            with _Timer(completion):
                render_completion_certificate(
                    contract_number=str(SAMPLE_FIELDS["contract_number"]),
                    contract_title=str(SAMPLE_FIELDS["title_zh"]),
                    contract_sha256=hashlib.sha256(signed).hexdigest(),
                    signers=[
                        CompletionSigner(
                            "张伟", "宝钢", "a@example.cn", dt.datetime.now(dt.UTC), "10.0.0.1", "password_totp"
                        )
                    ],
                    platform=platform_signer,
                    verification_url=str(SAMPLE_FIELDS["verification_url"]),
                )

        verified = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        while time.perf_counter() - started < args.verify_seconds:
            verify_pdf(signed, ca.trust_roots)
            verified += 1
        verify_elapsed, verify_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    print(
        json.dumps(
            {
                "benchmark": "contracts",
                "runs": args.runs,
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_1m": os.getloadavg()[0]},
                "contract": {
                    "pages": contract.page_count,
                    "unsigned_bytes": len(contract.pdf),
                    "signed_bytes": len(signed),
                },
                "setup_ms": round(setup_seconds * 1000, 1),
                "render": _ms(render),
                "sign_first_party": _ms(sign_first),
                "sign_second_party": _ms(sign_second),
                "verify_two_signatures": _ms(verify),
                "completion_certificate_render_and_sign": _ms(completion),
                "verifications_per_second": round(verified / verify_elapsed, 2),
                "verifications_per_cpu_second": round(verified / verify_cpu, 2),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
