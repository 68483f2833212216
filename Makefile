# Self-documenting: `make` or `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

YEAR ?= 2018
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

.PHONY: help setup browser-deps get-quarto book test validate run render lint lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv and install the project (pinned by requirements.lock)

# axe-core (npm, pinned by package-lock.json) for tests/test_browser.py; Chromium is Debian's
# (apt-get install chromium, as .ci/run does). No system font is needed: the book brings Lato. Without npm the browser tests
# are skipped locally (and fail in CI, where CI is set).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --loglevel=error; \
	else \
	  echo "npm not found: tests/test_browser.py needs node_modules/axe-core (npm ci)"; \
	fi

browser-deps: node_modules/.package-lock.json ## install axe-core with npm ci for the browser tests

# quarto-cli (PyPI) downloads Quarto from GitHub while it installs: without normal internet access
# that fails. It is tried once, quietly (pip's output goes to .venv-quarto/install.log), into a venv of
# its own, .venv-quarto/: quarto-cli pulls jupyterlab and others unpinned, which must not change the
# pinned .venv. `virksomhetsanalyse render` finds .venv-quarto/bin/quarto (analysis/pipeline/render.py
# find_quarto). After a failure `build` stops at the render step with the one message that says how to
# get Quarto. Quarto assembled at /opt/quarto-offline (see README) is found through $QUARTO or PATH.
QUARTO_VENV := .venv-quarto
QUARTO_TRIED := $(QUARTO_VENV)/.tried
get-quarto: $(STAMP) ## install Quarto with `pip install quarto-cli` into .venv-quarto (tried once) if no quarto is found
	@if [ -n "$$QUARTO" ] || command -v quarto >/dev/null || [ -x $(QUARTO_VENV)/bin/quarto ]; then \
	  echo "quarto: $${QUARTO:-$$(command -v quarto || echo $(QUARTO_VENV)/bin/quarto)}"; \
	elif [ ! -e $(QUARTO_TRIED) ]; then \
	  $(PYTHON) -m venv $(QUARTO_VENV) && touch $(QUARTO_TRIED); \
	  echo "quarto not found: trying pip install quarto-cli once into $(QUARTO_VENV) (log: $(QUARTO_VENV)/install.log)"; \
	  $(QUARTO_VENV)/bin/python -m pip install 'quarto-cli>=1.10' >$(QUARTO_VENV)/install.log 2>&1 \
	    && echo "quarto: $(QUARTO_VENV)/bin/quarto" \
	    || echo "pip could not install quarto-cli (it needs normal internet access)"; \
	fi

book: get-quarto ## build the whole book for YEAR (default 2018): validate, run chapters, render HTML + PDF (DRAFT=1: a draft)
	$(BIN)/virksomhetsanalyse build --year $(YEAR) $(if $(DRAFT),--draft)

test: $(STAMP) node_modules/.package-lock.json ## run every test (unit tests, bad-input tests, headless-Chromium checks, nbval on the executed chapters)
	$(BIN)/pytest

validate: $(STAMP) ## check data/ and list the source's inconsistencies
	$(BIN)/virksomhetsanalyse validate

run: $(STAMP) ## execute the chapter notebooks for YEAR into book/
	$(BIN)/virksomhetsanalyse run --year $(YEAR)

render: $(STAMP) ## render book/ with Quarto into _book/
	$(BIN)/virksomhetsanalyse render

lint: $(STAMP) ## ruff
	$(BIN)/ruff check analysis tests benchmarks

lock: ## re-pin the dependencies into requirements.lock (after changing pyproject.toml)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install -q -e '.[dev]' \
	  && .venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock && rm -rf .venv-lock

clean: ## remove the venv and build state (not data/, not book/)
	rm -rf $(VENV) $(QUARTO_VENV) .build _book _book.tmp _book.old.tmp .quarto .pytest_cache
