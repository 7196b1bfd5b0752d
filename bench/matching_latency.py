"""Latency of "top-20 solvers for a demand" over 10k, 100k and 1M expert vectors.

Prints JSON. For each size: the index backend that `IndexConfig(backend="auto")` picks (exact numpy
below 100k, usearch HNSW at and above; `--backend` forces one), its build time and RSS growth, and
p50/p95 of encode-the-demand-text + search-top-20 (wall clock, CPU time of the process, and the
encode and search parts), over the 40 real demand texts of the development set. For HNSW, recall@20
against exact search on the same vectors, and a sweep of the search width.

Synthetic vectors: encoding 1M profiles would take hours on 2 cores, so a pool of `--pool` real
USE v3 embeddings is encoded from synthetic profile texts (keywords and publication titles of the
development set recombined), and every indexed vector is a perturbed mixture of two pool vectors,
normalize(a + 0.6 b + noise), so neighbours are structured like real embeddings rather than
isotropic noise (which would be an unrealistically hard case for HNSW). Query vectors come from
encoding the real demand texts.

    .venv/bin/python bench/matching_latency.py            # 10k exact, 100k and 1M HNSW (HNSW builds dominate)
    .venv/bin/python bench/matching_latency.py --quick    # 10k and 100k exact, HNSW on 20k
    .venv/bin/python bench/matching_latency.py --sizes 100000 --backend hnsw
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhongyan.matching.embedding import DIM, embed_text, encode_sentences, get_encoder, normalize_rows
from zhongyan.matching.index import ExactIndex, IndexConfig, make_index

DATA = Path(__file__).resolve().parents[1] / "zhongyan/matching/tests/data/devset.json"
K = 20


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pool_texts(profiles: list[dict], count: int, rng: random.Random) -> list[str]:
    keywords = [k for p in profiles for k in p["keywords"]]
    titles = [t for p in profiles for t in p["publications"]]
    texts = []
    for _ in range(count):
        parts = rng.sample(titles, 2) + rng.sample(keywords, 3)
        texts.append("; ".join(parts))
    return texts


def synthetic_vectors(pool: np.ndarray, count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((count, DIM), dtype=np.float32)
    chunk = 100_000
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        a = pool[rng.integers(0, len(pool), n)]
        b = pool[rng.integers(0, len(pool), n)]
        noise = rng.standard_normal((n, DIM)).astype(np.float32) * (0.5 / np.sqrt(DIM))
        out[start : start + n] = normalize_rows(a + 0.6 * b + noise)
    return out


def percentile_ms(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 2)


def sweep_expansion(index: object, truth: np.ndarray, query_vectors: list[np.ndarray]) -> list[dict]:
    """Recall@20 and search time per query at several HNSW search widths, on the built graph."""
    raw = index._index  # the usearch Index inside HnswIndex
    original = raw.expansion_search
    rows = []
    for width in (64, 160, 320, 640):
        raw.expansion_search = width
        hits, times = 0, []
        for column, query in enumerate(query_vectors):
            exact = set(np.argpartition(-truth[:, column], K - 1)[:K].tolist())
            started = time.perf_counter()
            found = index.search(query, K)[0]
            times.append(time.perf_counter() - started)
            hits += len(exact & set(found.tolist()))
        rows.append(
            {
                "expansion_search": width,
                "recall@20": round(hits / (K * len(query_vectors)), 4),
                "search_ms_p50": percentile_ms(times, 50),
                "search_ms_p95": percentile_ms(times, 95),
            }
        )
    raw.expansion_search = original
    return rows


def run_size(
    size: int, pool: np.ndarray, queries: list[str], config: IndexConfig, repeats: int, backend: str | None = None
) -> dict:
    encoder = get_encoder()
    vectors = synthetic_vectors(pool, size, seed=size)
    chosen = IndexConfig(**{**config.__dict__, "backend": backend}) if backend else config
    before = rss_mb()
    started = time.perf_counter()
    index = make_index(DIM, expected_size=size, config=chosen)
    index.add(np.arange(size), vectors)
    build_seconds = time.perf_counter() - started
    memory_mb = rss_mb() - before
    encode_times, search_times, totals, cpu_times = [], [], [], []
    query_vectors = []
    for _ in range(repeats):
        for text in queries:
            c0 = time.process_time()
            t0 = time.perf_counter()
            query = embed_text(encoder, text)
            t1 = time.perf_counter()
            index.search(query, K)
            t2 = time.perf_counter()
            cpu_times.append(time.process_time() - c0)
            encode_times.append(t1 - t0)
            search_times.append(t2 - t1)
            totals.append(t2 - t0)
            query_vectors.append(query)
    result = {
        "items": size,
        "backend": type(index).__name__,
        "build_seconds": round(build_seconds, 2),
        "rss_delta_mb": round(memory_mb, 1),
        "queries": len(totals),
        "total_ms": {"p50": percentile_ms(totals, 50), "p95": percentile_ms(totals, 95)},
        # CPU seconds the process spent per query (all its threads): what the query costs on an idle
        # machine, independent of other load on a shared box.
        "cpu_ms": {"p50": percentile_ms(cpu_times, 50), "p95": percentile_ms(cpu_times, 95)},
        "encode_ms": {"p50": percentile_ms(encode_times, 50), "p95": percentile_ms(encode_times, 95)},
        "search_ms": {"p50": percentile_ms(search_times, 50), "p95": percentile_ms(search_times, 95)},
    }
    if not isinstance(index, ExactIndex):
        truth = vectors @ np.stack(query_vectors[: len(queries)]).T  # exact top-20 by brute force
        hits = 0
        for column, query in enumerate(query_vectors[: len(queries)]):
            exact = set(np.argpartition(-truth[:, column], K - 1)[:K].tolist())
            approx = set(index.search(query, K)[0].tolist())
            hits += len(exact & approx)
        result["recall@20_vs_exact"] = round(hits / (K * len(queries)), 4)
        result["expansion_search_sweep"] = sweep_expansion(index, truth, query_vectors[: len(queries)])
        result["hnsw"] = {
            "dtype": chosen.hnsw_dtype,
            "connectivity": chosen.connectivity,
            "expansion_add": chosen.expansion_add,
            "expansion_search": chosen.expansion_search,
        }
    del index, vectors
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10k and 100k exact, HNSW on 20k")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None)
    parser.add_argument("--pool", type=int, default=1000, help="real embeddings to build synthetic vectors from")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the 40 demand texts per size")
    parser.add_argument("--hnsw-dtype", default=IndexConfig.hnsw_dtype)
    parser.add_argument("--backend", choices=["auto", "exact", "hnsw"], default="auto", help="force one backend")
    args = parser.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rng = random.Random(7)
    encoder = get_encoder()
    started = time.perf_counter()
    pool = encode_sentences(encoder, pool_texts(data["profiles"], args.pool, rng))
    pool_seconds = time.perf_counter() - started
    queries = [f"{d['title']}。{d['text']}" for d in data["demands"]]
    config = IndexConfig(hnsw_dtype=args.hnsw_dtype)
    runs = []
    if args.quick:
        for size in args.sizes or [10_000, 100_000]:
            runs.append(run_size(size, pool, queries, config, repeats=1, backend="exact"))
        runs.append(run_size(20_000, pool, queries, config, repeats=1, backend="hnsw"))
    else:
        for size in args.sizes or [10_000, 100_000, 1_000_000]:
            backend = None if args.backend == "auto" else args.backend
            runs.append(run_size(size, pool, queries, config, repeats=args.repeats, backend=backend))
    report = {
        "machine": {
            "cpus": len(__import__("os").sched_getaffinity(0)),
            "load_avg_1m": round(__import__("os").getloadavg()[0], 2),
        },
        "pool": {
            "texts": args.pool,
            "encode_seconds": round(pool_seconds, 2),
            "sentences_per_second": round(args.pool / pool_seconds, 1),
        },
        "k": K,
        "runs": runs,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
