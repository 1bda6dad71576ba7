"""Load test of `obligraph serve`: N concurrent clients for S seconds on localhost.

    python bench/load.py [--clients 50] [--seconds 30] [--graph graph/obligraph.trig]

Starts `obligraph serve` in a child process on a free port (default limits: 5 s timeout, 10,000
rows), then runs N client threads (requests, one session each) that send, round robin, every
named query without required parameters plus a few small ad-hoc queries, each with JSON results.
Prints requests, errors (any status other than 200, or a failed connection), throughput and
latency percentiles. Not a test: figures depend on the machine (tests/test_endpoint_limits.py runs
a 2-second version for correctness)."""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from obligraph.answer.query import library  # noqa: E402

AD_HOC = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?label WHERE { <https://w3id.org/obligraph/id/china> rdfs:label ?label }",
    "ASK { ?s a <https://w3id.org/obligraph/ontology#PotentialBreach> }",
]


def workload() -> list[str]:
    return [q.text for q in library() if not any(p.required for p in q.parameters)] + AD_HOC


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(url: str, queries: list[str], offset: int, until: float, tally: Tally) -> None:
    session = requests.Session()
    index = offset
    while time.monotonic() < until:
        text = queries[index % len(queries)]
        index += 1
        started = time.perf_counter()
        try:
            response = session.post(url, data={"query": text},
                                    headers={"Accept": "application/sparql-results+json"}, timeout=30)
            problem = None if response.status_code == 200 else f"{response.status_code}: {response.text[:200]}"
        except requests.RequestException as error:
            problem = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.latencies.append(elapsed)
            if problem:
                tally.errors.append(problem)


def run_load(url: str, *, clients: int, seconds: float) -> Tally:
    queries = workload()
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(url, queries, n, until, tally)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--graph", default=None)
    args = parser.parse_args()
    from tests.test_remote import free_port
    port = free_port()
    command = [sys.executable, "-m", "obligraph.cli", "serve", "--port", str(port)]
    if args.graph:
        command += ["--graph", args.graph]
    # stderr (a log line per request) is discarded: an unread pipe would fill and stall the server
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        server.stdout.readline()  # "serving N triples …" once it listens
        url = f"http://127.0.0.1:{port}/sparql"
        tally = run_load(url, clients=args.clients, seconds=args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    n = len(tally.latencies)
    print(f"{time.strftime('%Y-%m-%d')} {platform.machine()} Python {platform.python_version()}; "
          f"{args.clients} clients, {args.seconds:g} s, {len(workload())} queries round robin")
    print(f"requests {n}, errors {len(tally.errors)}, {n / args.seconds:.0f} requests/s")
    print(f"latency ms: p50 {1000 * percentile(tally.latencies, 0.5):.1f}, p90 "
          f"{1000 * percentile(tally.latencies, 0.9):.1f}, p99 {1000 * percentile(tally.latencies, 0.99):.1f}, "
          f"max {1000 * max(tally.latencies):.1f}, mean {1000 * statistics.mean(tally.latencies):.1f}")
    for error in sorted(set(tally.errors))[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
