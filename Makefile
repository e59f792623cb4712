# Sanctuary Grants Tracker. `make site` builds the site; `make test` runs every test, browser included.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: site test check serve clean lint browser schema boundaries
.DEFAULT_GOAL := site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

site: $(VENV)/.runtime  ## build site/ from data/ and content/
	$(BIN)/python build.py

check: $(VENV)/.runtime  ## validate data/ and content/, write nothing
	$(BIN)/python build.py check

serve: $(VENV)/.runtime  ## preview on http://127.0.0.1:8000, rebuilding on change
	$(BIN)/python build.py serve

browser:  ## make sure a Chromium is available for the browser tests
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM)."; \
		echo "Install it (Debian/Ubuntu: sudo apt-get install chromium), or run"; \
		echo "  $(BIN)/python -m playwright install chromium"; \
		echo "and set CHROMIUM=<path to the browser> when running make test."; \
		exit 1; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: $(VENV)/.dev browser  ## the whole suite: unit, build, export and browser tests
	$(BIN)/ruff check .
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

schema: $(VENV)/.runtime  ## rewrite schema/*.schema.json and docs/data-dictionary.md from tracker/data/schema*.py
	$(BIN)/python build.py schema

clean:
	rm -rf site .site.old .site.new-* .build-cache .pytest_cache .ruff_cache

boundaries: $(VENV)/.runtime  ## regenerate data/boundaries/ from npm us-atlas@3.0.1 (needs npm; not part of the build)
	cd /tmp && npm pack --silent us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
	$(BIN)/python scripts/make_boundaries.py /tmp/package

.PHONY: bench
BENCH_ARGS ?=
bench: $(VENV)/.dev  ## build benchmarks (N = 23 … 20,000) against Hugo and Pelican; results in bench/results.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

.PHONY: fuzz
fuzz: $(VENV)/.dev  ## a long fuzzing run of the data loader (make test runs a short one)
	FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest -p no:playwright tests/test_fuzz.py

.PHONY: golden
golden: $(VENV)/.dev  ## rewrite tests/golden/tiny/ from the tiny fixture; review its diff before committing
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -p no:playwright tests/test_golden.py
