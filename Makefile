# Steward: `make demo` brings it up with demo data; `make test` runs every check.
#
# Everything installs into .venv through constraints.txt (PIP_CONSTRAINT also reaches the
# isolated builds of source packages, which need setuptools<81).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STEWARD := $(BIN)/steward

export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export STEWARD_DATA_DIR ?= $(CURDIR)/var

DEMO_BIND ?= 127.0.0.1:8000
DEMO_SIZE ?= small
# The PostgreSQL run of the suite; Django creates and drops test_<name> beside it.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
# Parallel pytest workers (pytest-xdist); 0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help demo serve worker test lint typecheck pytest-sqlite pytest-postgres bench clean

help:
	@echo "make demo       create .venv, install, migrate, load demo data, serve on $(DEMO_BIND)"
	@echo "make test       ruff, mypy, import contracts, pytest on SQLite and on PostgreSQL"
	@echo "make lint       ruff check, ruff format --check, import contracts"
	@echo "make typecheck  mypy"
	@echo "make bench      the load test and the benchmarks in bench/ (large demo data)"
	@echo "make clean      remove .venv, var/ and caches"

# --- environments --------------------------------------------------------------------------------

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the project's dependencies or their pins change.
$(RUNTIME_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install -qq -e .
	@touch $@

$(DEV_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install -qq -e '.[dev]'
	@touch $@ $(RUNTIME_STAMP)

# --- the demo ------------------------------------------------------------------------------------

# The demo prints its login URL from STEWARD_BASE_URL; keep it in step with DEMO_BIND.
demo serve worker: export STEWARD_BASE_URL ?= http://$(DEMO_BIND)

demo: $(RUNTIME_STAMP)
	$(STEWARD) migrate --no-input --verbosity 0
	$(STEWARD) collectstatic --no-input --verbosity 0
	$(STEWARD) demo --size $(DEMO_SIZE)
	@echo
	@echo "  Steward is starting at http://$(DEMO_BIND)/  (data in $(STEWARD_DATA_DIR); Ctrl+C stops it)"
	@echo
	exec $(STEWARD) serve --bind $(DEMO_BIND)

serve: $(RUNTIME_STAMP)
	exec $(STEWARD) serve --bind $(DEMO_BIND)

worker: $(RUNTIME_STAMP)
	exec $(STEWARD) worker

# --- checks --------------------------------------------------------------------------------------

define banner
	printf '\n\033[1m==== %s ====\033[0m\n' "$(1)"
endef

define loud
	printf '\n\033[1;33m%s\n!!  %s\n!!  %s\n%s\033[0m\n\n' \
	  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" \
	  "$(1)" "$(2)" \
	  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
endef

lint: $(DEV_STAMP)
	@$(call banner,ruff check)
	$(BIN)/ruff check .
	@$(call banner,ruff format --check)
	$(BIN)/ruff format --check .
	@$(call banner,import contracts (lint-imports))
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	@$(call banner,mypy steward bench)
	$(BIN)/mypy steward bench

# `make test` runs every step even when one fails, then lists what failed and exits non-zero.
# pytest's exit code 5 (nothing collected, e.g. a marker selecting nothing) is not a failure.
test: $(DEV_STAMP)
	@failed=(); skipped=(); \
	step() { local name="$$1"; shift; $(call banner,$$name); "$$@" || failed+=("$$name"); }; \
	run_pytest() { local code=0; \
	  env -u DJANGO_SETTINGS_MODULE -u TEST_DATABASE_URL STEWARD_DATA_DIR="$(STEWARD_DATA_DIR)/test" \
	    STEWARD_CHROMIUM="$(CHROMIUM)" "$$@" \
	    $(BIN)/pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS) \
	    || code=$$?; \
	  [ $$code -eq 0 ] || [ $$code -eq 5 ]; }; \
	if [ ! -x "$(CHROMIUM)" ]; then \
	  $(call loud,NO CHROMIUM AT $(CHROMIUM): THE BROWSER TESTS WILL BE SKIPPED.,Install Debian's chromium package (.ci/run does); STEWARD_REQUIRE_ALL=1 makes this fatal.); \
	  if [ "$${STEWARD_REQUIRE_ALL:-}" = 1 ]; then failed+=("Chromium missing (STEWARD_REQUIRE_ALL=1)"); \
	  else skipped+=("browser tests: no Chromium at $(CHROMIUM)"); fi; \
	fi; \
	postgres=0; \
	if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], dbname='postgres', connect_timeout=3).close()" "$(PG_TEST_URL)" 2>/dev/null; then \
	  postgres=1; \
	else \
	  $(call loud,NO POSTGRESQL AT $(PG_TEST_URL): THE POSTGRESQL RUN WILL BE SKIPPED.,Start the server (.ci/run does) or set PG_TEST_URL; STEWARD_REQUIRE_ALL=1 makes this fatal.); \
	  if [ "$${STEWARD_REQUIRE_ALL:-}" = 1 ]; then failed+=("PostgreSQL unreachable (STEWARD_REQUIRE_ALL=1)"); \
	  else skipped+=("pytest on PostgreSQL: no server at $(PG_TEST_URL)"); fi; \
	fi; \
	step "ruff check" $(BIN)/ruff check .; \
	step "ruff format --check" $(BIN)/ruff format --check .; \
	step "mypy steward bench" $(BIN)/mypy steward bench; \
	step "import contracts (lint-imports)" $(BIN)/lint-imports; \
	step "pytest on SQLite" run_pytest; \
	if [ $$postgres = 1 ]; then \
	  step "pytest on PostgreSQL ($(PG_TEST_URL))" run_pytest TEST_DATABASE_URL="$(PG_TEST_URL)"; \
	fi; \
	$(call banner,summary); \
	for name in "$${skipped[@]}"; do printf '  SKIPPED  %s\n' "$$name"; done; \
	for name in "$${failed[@]}"; do printf '  FAILED   %s\n' "$$name"; done; \
	if [ $${#failed[@]} -gt 0 ]; then exit 1; fi; \
	echo "  every check passed"

bench: $(RUNTIME_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .hypothesis \
	  test-results steward.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
