"""Save a screenshot of graph/obligraph.html (as built) to docs/obligraph.png, for the README.

    .venv/bin/python docs/screenshot.py [OUT.png]

Needs Debian's chromium and chromedriver (`make chromium`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import driver, open_page  # noqa: E402


def screenshot(out: Path, page: Path = ROOT / "graph" / "obligraph.html",
               edge: str | None = "china|hasPolicy|china-forced-repatriation") -> float:
    chrome = driver()
    try:
        seconds = open_page(chrome, page)
        if edge:
            chrome.execute_script("window.obligraph.selectEdge(arguments[0])", edge)
        chrome.save_screenshot(str(out))
        return seconds
    finally:
        chrome.quit()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "obligraph.png"
    took = screenshot(target)
    print(f"wrote {target} (page ready in {took:.2f} s)")
