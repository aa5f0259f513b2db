# framework-census: the verbs. Each target creates .venv when missing and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install -q --disable-pip-version-check -c constraints.txt
CORE_STAMP := $(VENV)/.core-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: report test check lint bench snapshot readme

$(PY):
	$(PYTHON) -m venv $(VENV)

$(CORE_STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP) -e .
	touch $@

$(TEST_STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP) -e '.[dev,models]'
	touch $(CORE_STAMP) $@

## make report: build the warehouse from the shipped snapshot (no network) and write the report
report: $(CORE_STAMP)
	$(VENV)/bin/census report

## make test: the whole test suite (no network; uses ../shared/data where present)
test: $(TEST_STAMP)
	$(PY) -m pytest -q

## make check: format check, lint, types, tests
check: $(TEST_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy census_base collectors warehouse analysis reports census
	$(PY) -m pytest -q

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

## make bench: pipeline timings (ingest, report, query), then the reference-model benchmark
bench: $(TEST_STAMP)
	$(VENV)/bin/census perf
	$(VENV)/bin/census bench

## make snapshot: rebuild warehouse/shipped_snapshot from ../shared/data
snapshot: $(CORE_STAMP)
	$(VENV)/bin/census snapshot

## make readme: regenerate the README's dataset tables from the view headers
readme: $(CORE_STAMP)
	$(PY) -c "import re, pathlib; from warehouse.datasets import datasets_markdown as md; p = pathlib.Path('README.md'); s = p.read_text(); p.write_text(re.sub(r'<!-- datasets:start -->.*<!-- datasets:end -->', lambda m: '<!-- datasets:start -->\n' + md() + '\n<!-- datasets:end -->', s, flags=re.S))"
