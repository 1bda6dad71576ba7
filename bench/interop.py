"""Time `obligraph push` into a real Oxigraph server and every named query run locally, on that
server (`query --endpoint`), and on `obligraph serve`; print a Markdown table.

Usage: python bench/interop.py [--repeat 5]   (needs the `oxigraph` server: pip install -e '.[test]')
Not a test: timings depend on the machine."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from obligraph.answer.endpoint import make_http_server  # noqa: E402
from obligraph.answer.query import QUERIES, ResultFormat, execute, library, open_store  # noqa: E402
from obligraph.answer.remote import Client, push, run  # noqa: E402
from obligraph.answer.results import render  # noqa: E402
from tests.test_remote import executable, free_port, stop, wait_until_ready  # noqa: E402

PARAMS = {"evidence-for": {"entity": "china"}}


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    port = free_port()
    with tempfile.TemporaryDirectory() as location:
        server = subprocess.Popen([executable("oxigraph"), "serve", "--location", location,
                                   "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        ours, _ = make_http_server(port=free_port())
        threading.Thread(target=ours.serve_forever, daemon=True).start()
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(f"{base}/query", server)
            client = Client()
            print("| step | seconds |\n|---|---|")
            print(f"| push, SPARQL Update (DROP + INSERT DATA) | "
                  f"{timed(lambda: push(endpoint=f'{base}/update', client=client), repeat):.3f} |")
            print(f"| push, Graph Store Protocol (PUT) | "
                  f"{timed(lambda: push(graph_store=f'{base}/store', client=client), repeat):.3f} |")
            store = open_store()
            print("\n| query | local | Oxigraph server | obligraph serve |\n|---|---|---|---|")
            for named in library(QUERIES):
                params = PARAMS.get(named.name, {})
                local = timed(lambda: render(execute(named, store, params), store, ResultFormat.JSON), repeat)
                remote = timed(lambda: run(named, endpoint=f"{base}/query", params=params,
                                           fmt=ResultFormat.JSON, client=client), repeat)
                served = timed(lambda: run(named, endpoint=f"http://127.0.0.1:{ours.server_port}/sparql",
                                           params=params, fmt=ResultFormat.JSON, client=client), repeat)
                print(f"| {named.name} | {local:.3f} | {remote:.3f} | {served:.3f} |")
        finally:
            ours.shutdown()
            stop(server)


if __name__ == "__main__":
    main()
