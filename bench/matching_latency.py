"""Latency of "top-20 solvers for a demand" over 10k, 100k and 1M expert vectors (issue 4).

    .venv/bin/python bench/matching_latency.py                    # 10k, 100k, 1M (~2 min with cached graphs)
    .venv/bin/python bench/matching_latency.py --quick            # 10k and 100k, one pass
    .venv/bin/python bench/matching_latency.py --sizes 100000 --backend exact
    .venv/bin/python bench/matching_latency.py --rebuild          # ignore cached HNSW graphs
    .venv/bin/python bench/matching_latency.py --product-sizes 10000,100000 --sizes 0   # product path only

Prints JSON. Two parts: `runs` = dense retrieval through index.py alone, `product` = the product's
ranking, `engine.Matcher.search` (hybrid BM25 + dense + fields with explanations, candidate pool
above `POOL_THRESHOLD` items), described at the end of this docstring.

Dense part. For each size the index is made exactly as the product makes it: `make_index` with the
default `IndexConfig` (exact numpy below `hnsw_threshold`, usearch HNSW at and above it, with the
same dtype, connectivity, expansion and re-rank settings), unless `--backend` forces one. Reported:

* `total_ms`: wall clock of encode-the-demand-text + search-top-20, p50/p95 over the 40 real demand
  texts of the development set x `--repeats` passes (after one untimed warm-up pass);
  `cpu_ms`: CPU time of the process for the same (what the query costs on an idle machine; the
  box is shared, so wall clock is noisy); `encode_ms` / `search_ms`: the two parts (wall).
* `build`: wall and CPU seconds to build the index and its memory (RSS growth, and the index's own
  arrays). A cold run is dominated by the 1M graph build, ~400 CPU-seconds on two threads (~6 min
  for the whole run on an idle 2-core box; 13 min on the busy one). HNSW graphs are saved in
  `--cache-dir` and loaded by later runs with the same vectors and graph settings; the build
  figures are then the ones measured when the file was built (`cached: true`).
* `exact_search_ms`: a brute-force float32 matrix-vector product + argpartition over the same
  vectors, computed as `ExactIndex.search` does (the exact baseline); `recall@20_vs_exact` of the
  index at its configured search width; `width_sweep`: recall@20 and search time per width.

Vectors. Encoding 1M profiles would take hours on 2 cores, so `--pool` profile-like texts are
encoded for real with USE v3 (2-3 publication titles + 3-5 keywords of the development set's 210
profiles, recombined), and each indexed vector is a mixture of two of those real embeddings plus
noise: normalize(a + w*b + n), w ~ U(0.3, 0.9), n ~ N(0, 0.5^2/512 per dimension). Profiles that
share a main topic `a` form clusters (about size/pool members each) with sub-structure from `b`,
like real embeddings; the noise keeps near-duplicates rare (nearest-neighbour cosines of a query are
~0.5-0.6 against ~0.3 for a typical item, i.e. the top 20 are not trivially separated). Query
vectors are the real demand texts, encoded inside the timed loop.

Product path (`product`, sizes `--product-sizes`, default 10k and 100k; 10k only with `--quick`):
top-20 through `Matcher.search(Query(demand text, demand fields), k=20)` with the engine's defaults
(candidate pool of 200 + 200 above 5,000 items; vector index by `make_index`: exact below 100k, HNSW
from 100k), i.e. query encoding, BM25 over the postings of the query terms, the vector-index search,
scoring and explaining the pool. Profiles are synthetic: each text is 3-5 keywords of the development
set (one sentence) plus 2-3 of its publication titles, with 1-2 of its field codes, tokenised for
BM25 for real (jieba); their sentence vectors are not encoded (hours at 100k) but injected through
`Matcher.add_encoded_many` (the seam the product uses for stored vectors): one vector per
`snippets_of(item)` sentence, normalize(v + noise) around the item's synthetic vector v made as
above. Texts and vectors are drawn independently, so these figures are latency, not quality.
Reported: `load` (add_encoded_many + BM25 build, wall / CPU / RSS growth), `total_ms` and `cpu_ms`
p50/p95 per query, and `agreement@20_vs_full_scan`: the share of the pool path's top 20 that the
full hybrid scan (`Matcher.scores`, every item) also ranks in its top 20 (`--no-agreement` skips it),
and `full_scan_top20_language_gap_share`, the share of that full-scan top 20 sharing no script with the
query (what the pool mostly misses, see docs/matching.md).
1M is not run by default: tokenising 1M texts takes ~5 min and their sentence vectors ~8 GB
(`--product-sizes 1000000` runs it anyway).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhongyan.matching.embedding import DIM, embed_text, encode_sentences, get_encoder, normalize_rows
from zhongyan.matching.engine import Item, Matcher, Query, snippets_of
from zhongyan.matching.index import HnswIndex, IndexConfig, load_index, make_index

DATA = Path(__file__).resolve().parents[1] / "zhongyan/matching/tests/data/devset.json"
K = 20
SWEEP = (160, 320, 640, 1280, 2560, 5120)
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zhongyan-bench"


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def pool_texts(profiles: list[dict], count: int, rng: random.Random) -> list[str]:
    keywords = [k for p in profiles for k in p["keywords"]]
    titles = [t for p in profiles for t in p["publications"]]
    texts = []
    for _ in range(count):
        parts = rng.sample(titles, rng.randint(2, 3)) + rng.sample(keywords, rng.randint(3, 5))
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
        weight = rng.uniform(0.3, 0.9, (n, 1)).astype(np.float32)
        noise = rng.standard_normal((n, DIM), dtype=np.float32) * np.float32(0.5 / np.sqrt(DIM))
        out[start : start + n] = normalize_rows(a + weight * b + noise)
    return out


def ms(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 2)


def p50_p95(values: list[float]) -> dict:
    return {"p50": ms(values, 50), "p95": ms(values, 95)}


def exact_top(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    scores = np.einsum("ij,j->i", vectors, query)  # as ExactIndex.search computes it
    return np.argpartition(-scores, K - 1)[:K]


def build_index(size: int, vectors: np.ndarray, config: IndexConfig, cache_dir: Path | None, tag: str) -> tuple:
    """The index and its build figures; HNSW graphs come from / go to the cache when one is given."""
    index = make_index(DIM, expected_size=size, config=config)
    cache = None
    if isinstance(index, HnswIndex) and cache_dir is not None:
        graph = (config.hnsw_dtype, config.connectivity, config.expansion_add)  # search settings need no rebuild
        key = hashlib.sha256(f"{tag}|{size}|{graph}".encode()).hexdigest()[:16]
        cache = cache_dir / f"hnsw-{size}-{key}.npz"
        if cache.exists() and cache.with_suffix(".json").exists():
            before, c0, t0 = rss_mb(), time.process_time(), time.perf_counter()
            index = load_index(cache, config=config)
            build = json.loads(cache.with_suffix(".json").read_text())
            build.update(
                cached=True,
                load_seconds=round(time.perf_counter() - t0, 2),
                load_cpu_seconds=round(time.process_time() - c0, 2),
                rss_delta_mb=round(rss_mb() - before, 1),
            )
            return index, build
    before, c0, t0 = rss_mb(), time.process_time(), time.perf_counter()
    index.add(np.arange(size), vectors)
    build = {
        "seconds": round(time.perf_counter() - t0, 2),
        "cpu_seconds": round(time.process_time() - c0, 2),
        "rss_delta_mb": round(rss_mb() - before, 1),
        "load_avg_1m_at_build": round(os.getloadavg()[0], 2),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cached": False,
    }
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        index.save(cache)
        cache.with_suffix(".json").write_text(json.dumps(build))
    return index, build


def index_bytes(index: object) -> int:
    if isinstance(index, HnswIndex):
        return int(index._index.memory_usage + index._vectors.nbytes + index._keys.nbytes)
    return int(index._vectors.nbytes + index._keys.nbytes)


def timed_queries(index: object, encoder: object, queries: list[str], repeats: int) -> dict:
    for text in queries:  # warm-up: page in the index and the encoder's working set
        index.search(embed_text(encoder, text), K)
    encode, search, total, cpu = [], [], [], []
    for _ in range(repeats):
        for text in queries:
            c0 = time.process_time()
            t0 = time.perf_counter()
            query = embed_text(encoder, text)
            t1 = time.perf_counter()
            index.search(query, K)
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            encode.append(t1 - t0)
            search.append(t2 - t1)
            total.append(t2 - t0)
    return {
        "queries": len(total),
        "total_ms": p50_p95(total),
        "cpu_ms": p50_p95(cpu),
        "encode_ms": p50_p95(encode),
        "search_ms": p50_p95(search),
    }


def recall_sweep(index: HnswIndex, truth: list[set], query_vectors: np.ndarray, widths: tuple) -> list[dict]:
    configured = index.expansion_search
    rows = []
    for width in widths:
        index.expansion_search = max(width, index.config.candidates)
        hits, wall, cpu = 0, [], []
        for exact, query in zip(truth, query_vectors, strict=True):
            c0, t0 = time.process_time(), time.perf_counter()
            found = index.search(query, K)[0]
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            hits += len(exact & set(found.tolist()))
        rows.append(
            {
                "expansion_search": index.expansion_search,
                "recall@20": round(hits / (K * len(truth)), 4),
                "search_ms": p50_p95(wall),
                "search_cpu_ms": p50_p95(cpu),
            }
        )
    index.expansion_search = configured
    return rows


def run_size(size: int, pool: np.ndarray, queries: list[str], config: IndexConfig, args: argparse.Namespace) -> dict:
    encoder = get_encoder()
    t0 = time.perf_counter()
    vectors = synthetic_vectors(pool, size, seed=size)
    generate_seconds = time.perf_counter() - t0
    tag = hashlib.sha256(pool.tobytes()).hexdigest()
    index, build = build_index(size, vectors, config, args.cache_dir, tag)
    result = {
        "items": size,
        "backend": type(index).__name__,
        "vectors_generated_seconds": round(generate_seconds, 2),
        "build": build,
        "index_mb": round(index_bytes(index) / 2**20, 1),
    }
    result.update(timed_queries(index, encoder, queries, args.repeats))
    query_vectors = np.stack([embed_text(encoder, text) for text in queries])
    truth, exact_wall = [], []
    for query in query_vectors:  # brute force over the float32 matrix: the exact baseline and truth
        t0 = time.perf_counter()
        top = exact_top(vectors, query)
        exact_wall.append(time.perf_counter() - t0)
        truth.append(set(top.tolist()))
    result["exact_search_ms"] = p50_p95(exact_wall)
    if isinstance(index, HnswIndex):
        configured = recall_sweep(index, truth, query_vectors, (index.expansion_search,))[0]
        result["recall@20_vs_exact"] = configured["recall@20"]
        result["hnsw"] = {
            "dtype": config.hnsw_dtype,
            "connectivity": config.connectivity,
            "expansion_add": config.expansion_add,
            "expansion_search": index.expansion_search,
            "rerank_candidates": config.candidates,
        }
        result["width_sweep"] = recall_sweep(index, truth, query_vectors, SWEEP)
    else:
        hits = sum(
            len(exact & set(index.search(q, K)[0].tolist())) for exact, q in zip(truth, query_vectors, strict=True)
        )
        result["recall@20_vs_exact"] = round(hits / (K * len(truth)), 4)
    del index, vectors
    return result


def product_items(profiles: list[dict], count: int, rng: random.Random) -> list[Item]:
    """Synthetic profiles from the development set's vocabulary (see the module docstring)."""
    keywords = [(k, p["language"]) for p in profiles for k in p["keywords"]]
    titles = [t for p in profiles for t in p["publications"]]
    fields = sorted({f for p in profiles for f in p["fields"]})
    items = []
    for n in range(count):
        words = rng.sample(keywords, rng.randint(3, 5))
        joiner = "、" if words[0][1] == "zh" else ", "
        text = joiner.join(word for word, _ in words)
        chosen = tuple(rng.sample(titles, rng.randint(2, 3)))
        items.append(Item(f"p{n}", text, frozenset(rng.sample(fields, rng.randint(1, 2))), None, chosen))
    return items


def encoded_pairs(items: list[Item], centres: np.ndarray, seed: int):
    """(item, sentence vectors) with one vector per snippet, scattered around the item's vector."""
    rng = np.random.default_rng(seed)
    scale = np.float32(0.5 / np.sqrt(DIM))
    for item, centre in zip(items, centres, strict=True):
        rows = len(snippets_of(item))
        noise = rng.standard_normal((rows, DIM), dtype=np.float32) * scale
        yield item, normalize_rows(centre + noise)


def run_product(size: int, pool: np.ndarray, data: dict, args: argparse.Namespace) -> dict:
    encoder = get_encoder()
    items = product_items(data["profiles"], size, random.Random(size))
    centres = synthetic_vectors(pool, size, seed=size + 1)
    matcher = Matcher(encoder=encoder)
    before, c0, t0 = rss_mb(), time.process_time(), time.perf_counter()
    matcher.add_encoded_many(encoded_pairs(items, centres, seed=size))
    added = time.perf_counter() - t0
    assert len(matcher.ids) == size  # builds the BM25 index (tokenises every text) as the first search would
    load = {
        "seconds": round(time.perf_counter() - t0, 2),
        "cpu_seconds": round(time.process_time() - c0, 2),
        "add_encoded_seconds": round(added, 2),
        "rss_delta_mb": round(rss_mb() - before, 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    del items, centres
    queries = [Query(f"{d['title']}。{d['text']}", frozenset(d["fields"])) for d in data["demands"]]
    pooled = len(matcher) > matcher.pool_threshold
    for query in queries:  # warm-up
        matcher.search(query, k=K)
    wall, cpu, found = [], [], []
    for _ in range(args.repeats):
        for query in queries:
            c0, t0 = time.process_time(), time.perf_counter()
            matches = matcher.search(query, k=K)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            found.append([m.id for m in matches])
    result = {
        "items": size,
        "path": "candidate pool" if pooled else "full scan",
        "pool_threshold": matcher.pool_threshold,
        "pool_size": matcher.pool_size,
        "vector_index": type(matcher.vector_index).__name__,
        "load": load,
        "queries": len(wall),
        "total_ms": p50_p95(wall),
        "cpu_ms": p50_p95(cpu),
        "load_avg_1m_after_queries": round(os.getloadavg()[0], 2),
        "explained": all(len(ids) == K for ids in found),
    }
    if pooled and not args.no_agreement:
        hits, gap = 0, 0
        order = matcher.ids
        for query, ids in zip(queries, found, strict=False):
            signals = matcher.scores(query)
            top = np.argpartition(-signals["fused"], K - 1)[:K]
            hits += len({order[p] for p in top.tolist()} & set(ids))
            gap += int(signals["language_gap"][top].sum())
        result["agreement@20_vs_full_scan"] = round(hits / (K * len(queries)), 4)
        # Share of the full scan's top 20 that share no script with the query (their lexical value is
        # imputed from the dense one, normalised over every item): the pool path mostly misses these.
        result["full_scan_top20_language_gap_share"] = round(gap / (K * len(queries)), 4)
    result["peak_rss_mb"] = round(rss_mb("VmHWM"), 1)
    del matcher
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k, one timed pass")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None)
    parser.add_argument("--pool", type=int, default=2000, help="real embeddings the synthetic vectors mix")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the 40 demand texts per size")
    parser.add_argument("--backend", choices=["auto", "exact", "hnsw"], default="auto", help="force one backend")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="where built HNSW graphs are kept")
    parser.add_argument("--rebuild", action="store_true", help="build HNSW graphs even if cached (and re-cache)")
    parser.add_argument(
        "--product-sizes",
        type=lambda s: [int(x) for x in s.split(",") if int(x)],
        default=None,
        help="sizes for the Matcher.search product path (0 = none)",
    )
    parser.add_argument("--no-agreement", action="store_true", help="skip the pool-vs-full-scan agreement check")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeats = args.sizes or [10_000, 100_000], 1
        args.product_sizes = [10_000] if args.product_sizes is None else args.product_sizes
    if args.product_sizes is None:
        args.product_sizes = [10_000, 100_000]
    if args.sizes is not None:
        args.sizes = [size for size in args.sizes if size]
    if args.rebuild:
        for stale in args.cache_dir.glob("hnsw-*"):
            stale.unlink()
    started = time.perf_counter()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    encoder = get_encoder()
    t0 = time.perf_counter()
    pool = encode_sentences(encoder, pool_texts(data["profiles"], args.pool, random.Random(7)))
    pool_seconds = time.perf_counter() - t0
    queries = [f"{d['title']}。{d['text']}" for d in data["demands"]]
    config = IndexConfig(backend=args.backend)
    sizes = [10_000, 100_000, 1_000_000] if args.sizes is None else args.sizes
    runs = [run_size(size, pool, queries, config, args) for size in sizes]
    product = [run_product(size, pool, data, args) for size in args.product_sizes]
    report = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "load_avg_1m_5m_15m_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "config": {**config.__dict__},
        "pool": {"texts": args.pool, "encode_seconds": round(pool_seconds, 2)},
        "k": K,
        "runs": runs,
        "product": product,
        "peak_rss_mb": round(rss_mb("VmHWM"), 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
