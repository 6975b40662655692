# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The light install (no extras): the adapters and the emit/import commands, without the server.
LIGHT := .venv-light
SERVER_ONLY := fastapi starlette uvicorn pymongo bson mongomock prometheus_client

.PHONY: run test check light browser bench conformance clean

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

# The light venv is kept apart and reused until pyproject.toml changes; its own .gitignore
# keeps it out of git. Only the adapters' tests that need no server run there.
$(LIGHT)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LIGHT)
	echo '*' > $(LIGHT)/.gitignore
	$(LIGHT)/bin/python -m pip install --quiet -e . pytest
	touch $@

light: $(LIGHT)/.installed
	$(LIGHT)/bin/python -c "import importlib.util as u, adapters, kompetanse.cli; \
	heavy = [m for m in '$(SERVER_ONLY)'.split() if u.find_spec(m)]; \
	assert not heavy, f'server packages in the light install: {heavy}'"
	$(LIGHT)/bin/pytest -q -p no:cacheprovider --noconftest tests/adapters \
		--ignore-glob='tests/adapters/test_server_*'

# The page tests drive Debian's Chromium (never a browser Playwright downloads) and inject
# axe-core from the npm registry (tests/pages/axe/package-lock.json pins it).
CHROMIUM ?= /usr/bin/chromium
AXE := tests/pages/axe/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

$(AXE): tests/pages/axe/package-lock.json
	cd tests/pages/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: $(CHROMIUM) $(AXE)

test: check light browser
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.statements
	$(BIN)/python -m bench.documents
	$(BIN)/python -m bench.catalog
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.scale

clean:
	rm -rf $(VENV) $(LIGHT) .mypy_cache .ruff_cache .pytest_cache test-artifacts tests/pages/axe/node_modules
