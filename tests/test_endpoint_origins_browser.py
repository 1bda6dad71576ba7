"""A hostile page in headless Chromium (Debian's chromium + chromedriver, `make chromium`), served
from another local port or opened from file://, tries to read the endpoint's graph with fetch(),
to make it fetch a URL through a SERVICE spelling, and to frame /graph: nothing is read, nothing
is fetched, nothing is framed. With `--cors` naming its origin, the same page can read (so the
test sees a difference the defence makes, not a page that never worked)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading

import pytest

from obligraph.answer.endpoint import make_http_server
from tests import browser
from tests.browser import chrome  # noqa: F401 (a fixture)
from tests.test_endpoint_holes import FULL_TEXT, Listener, bypasses, listener  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not browser.available(),
                                reason="needs /usr/bin/chromium and chromedriver: run `make chromium`")

ATTACK = """<!doctype html><html><body>
<iframe id="frame" src="{base}/graph"></iframe>
<script>
const base = {base_json};
const report = {{}};
async function attempt(name, run) {{
  try {{ report[name] = await run(); }} catch (error) {{ report[name] = "blocked: " + error.name; }}
}}
(async () => {{
  await attempt("read", async () => {{
    const answer = await fetch(base + "/sparql?query=" + encodeURIComponent({read_json}));
    return "read " + (await answer.text()).length + " characters";
  }});
  await attempt("service", async () => {{
    const answer = await fetch(base + "/sparql", {{method: "POST",
      headers: {{"Content-Type": "application/x-www-form-urlencoded"}},
      body: "query=" + encodeURIComponent({service_json})}});
    return "read " + (await answer.text());
  }});
  await attempt("opaque", async () => {{
    const answer = await fetch(base + "/sparql?query=" + encodeURIComponent({read_json}), {{mode: "no-cors"}});
    return answer.type + " " + (await answer.text()).length;
  }});
  document.body.dataset.report = JSON.stringify(report);
  document.body.dataset.ready = "true";
}})();
</script></body></html>"""


def serve(directory) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def endpoint(**options):
    """The endpoint over the bundled graph, serving in a thread; its base URL."""
    server, _ = make_http_server(port=0, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def pages(tmp_path):
    """The attacker's origin: a plain file server over tmp_path on another port."""
    server = serve(tmp_path)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def attack(driver, url: str) -> tuple[dict, str]:
    """(what the page's script could do, the URL the frame shows)."""
    from selenium.webdriver.support.ui import WebDriverWait
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda c: c.execute_script("return document.body.dataset.ready === 'true'"))
    report = json.loads(driver.execute_script("return document.body.dataset.report"))
    driver.switch_to.frame(driver.find_element("id", "frame"))
    framed = driver.execute_script("return document.URL + ' ' + (document.body ? document.body.innerText.length : 0)")
    driver.switch_to.default_content()
    return report, framed


def write_attack(directory, base: str, catcher: Listener) -> None:
    (directory / "attack.html").write_text(ATTACK.format(
        base=base, base_json=json.dumps(base),
        read_json=json.dumps(f"SELECT ?t WHERE {{ ?s {FULL_TEXT} ?t }}"),
        service_json=json.dumps(bypasses(catcher.url)[0])), encoding="utf-8")


def test_a_page_of_another_origin_or_a_file_reads_nothing_fetches_nothing_frames_nothing(
        chrome, tmp_path, listener, pages):  # noqa: F811 (fixtures)
    with endpoint() as base:
        write_attack(tmp_path, base, listener)
        for url in (f"{pages}/attack.html", (tmp_path / "attack.html").as_uri()):
            report, framed = attack(chrome, url)
            assert report["read"] == "blocked: TypeError", (url, report)
            assert report["service"] == "blocked: TypeError", (url, report)
            # a no-cors load: refused by the server and by Cross-Origin-Resource-Policy
            assert report["opaque"] == "blocked: TypeError", (url, report)
            assert framed.startswith("chrome-error://"), (url, framed)
    assert listener.connections == 0


def test_the_origin_named_by_cors_can_read_but_not_fetch_through_service(
        chrome, tmp_path, listener, pages):  # noqa: F811 (fixtures)
    with endpoint(cors=(pages,)) as base:
        write_attack(tmp_path, base, listener)
        report, framed = attack(chrome, f"{pages}/attack.html")
    assert report["read"].startswith("read ") and int(report["read"].split()[1]) > 10_000, report
    assert report["service"].startswith("read SERVICE is not allowed"), report
    assert framed.startswith("chrome-error://"), framed  # framing is never allowed
    assert listener.connections == 0
