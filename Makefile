# Set-up and everyday commands. `make build` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# apt-get needs root: use sudo only when we are not root already
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test clean chromium java bench vendor-yasgui

$(BIN)/obligraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(BIN)/obligraph          ## build graph/ from sources/
	$(BIN)/python build.py

chromium:                        ## headless Chromium + chromedriver for the browser tests (Debian)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver)

java:                            ## a Java runtime for HermiT, the OWL reasoner the ontology test runs (Debian)
	@command -v java >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y default-jre-headless)

test: $(BIN)/obligraph chromium java  ## run the whole test suite (two workers, a test file to each in turn)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: $(BIN)/obligraph chromium ## the scale-and-speed bench (issue 7): ~1 h; writes bench/scale-latest.md
	$(BIN)/python bench/scale.py

YASGUI_VERSION ?= 4.6.2
YASGUI_DIR = obligraph/answer/vendor/yasgui
vendor-yasgui:                   ## re-fetch the query page's YASGUI (npm pack @zazuko/yasgui) into $(YASGUI_DIR)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null && tar xzf zazuko-yasgui-*.tgz) && \
	  cp "$$tmp/package/build/yasgui.min.js" "$$tmp/package/build/yasgui.min.css" $(YASGUI_DIR)/ && \
	  (! ls "$$tmp"/package/LICENSE* >/dev/null 2>&1 || cp "$$tmp"/package/LICENSE* $(YASGUI_DIR)/) && \
	  sha256sum "$$tmp"/zazuko-yasgui-*.tgz && echo "now update the version and sha256 in $(YASGUI_DIR)/README.md"

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
