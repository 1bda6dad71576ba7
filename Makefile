# Set-up and everyday commands. `make build` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: build test clean

$(BIN)/obligraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(BIN)/obligraph          ## build graph/ from sources/
	$(BIN)/python build.py

test: $(BIN)/obligraph           ## run the whole test suite
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
