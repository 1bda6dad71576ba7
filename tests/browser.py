"""Headless Chromium for the browser tests and docs/screenshot.py: Debian's chromium and
chromedriver (installed by `make chromium`), no network of its own, DevTools logs captured."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


def driver(width: int = 1600, height: int = 1000):
    """A headless Chromium driver with a fresh profile; quit() it when done (profile removed)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="obligraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    original_quit = chrome.quit

    def quit_and_clean() -> None:
        try:
            original_quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    chrome.quit = quit_and_clean
    chrome.get("about:blank")  # the start page's own chrome:// loads happen here, then are dropped
    requests(chrome), console_errors(chrome)
    return chrome


def requests(chrome) -> list[str]:
    """URLs the page requested since the last call (DevTools performance log)."""
    urls = []
    for entry in chrome.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(chrome) -> list[str]:
    return [e["message"] for e in chrome.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def open_page(chrome, path: Path, timeout: float = 20.0) -> float:
    """Load a page from file:// and wait until the network has drawn; seconds taken."""
    import time

    from selenium.webdriver.support.ui import WebDriverWait
    start = time.perf_counter()
    chrome.get(Path(path).resolve().as_uri())
    WebDriverWait(chrome, timeout).until(
        lambda c: c.execute_script("return document.body && document.body.dataset.ready === 'true'"))
    return time.perf_counter() - start


@pytest.fixture(scope="module")
def chrome():
    """One headless Chromium per test module (import this fixture into the module)."""
    chrome = driver()
    yield chrome
    chrome.quit()
