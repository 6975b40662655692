# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check bench conformance clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's metadata changes.
$(VENV)/.installed-server: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[server]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-server

# First start: generated demo data (marked "(demo)"), so the product shows something at once.
run: $(VENV)/.installed-server
	$(BIN)/kompetanse demo load --if-empty
	$(BIN)/kompetanse serve

check: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

test: check
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.statements
	$(BIN)/python -m bench.documents
	$(BIN)/python -m bench.catalog

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
