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

.PHONY: help setup book test validate run render lint lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv and install the project (pinned by requirements.lock)

book: $(STAMP) ## build the whole book for YEAR (default 2018): validate, run chapters, render HTML + PDF
	$(BIN)/virksomhetsanalyse build --year $(YEAR)

test: $(STAMP) ## run every test (unit tests, bad-input tests, nbval on the executed chapters)
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
	rm -rf $(VENV) .build _book .pytest_cache
