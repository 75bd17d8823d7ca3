# Two commands from nothing: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build render test test-fast lint check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The wiki as plain Markdown (kith render), built by Zensical: no kith plugin runs.
render: $(STAMP)
	$(BIN)/kith render --out rendered
	$(BIN)/zensical build -f rendered/mkdocs.yml

check: $(STAMP)
	$(BIN)/kith check

lint: $(STAMP)
	$(BIN)/ruff check plugins tests bench
	$(BIN)/ruff format --check plugins tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# The pure tier alone (no MkDocs build, git, browser or command line): seconds, not minutes.
test-fast: $(STAMP)
	$(BIN)/pytest -m fast

# Builds a synthetic network of 1,000 and 10,000 contacts with and without kith.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	NO_MKDOCS_2_WARNING=1 $(BIN)/python bench/run.py --git-plugin

clean:
	rm -rf site rendered $(VENV) .pytest_cache .mypy_cache .ruff_cache
