# Dân Vận: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
WEB_WORKERS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test venv venv-test env setup lint typecheck pytest pytest-sqlite pytest-postgres lock messages bench clean

help:
	@echo "make run   - set up (first time) and start Dân Vận on http://$(HOST):$(PORT) with demo data"
	@echo "make test  - install the test tools and run the whole suite (ruff, mypy, pytest on SQLite and PostgreSQL)"

# --- the virtual environment -------------------------------------------------
$(VENV)/.python-ok:
	@if [ -x "$(PY)" ] && $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	  true; \
	else \
	  rm -rf $(VENV); \
	  python=$$(bash scripts/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$python"; \
	  "$$python" -m venv $(VENV) || { echo "Could not create $(VENV): install the venv module of $$python (e.g. apt-get install python3.12-venv)."; exit 1; }; \
	fi
	@touch $@

$(VENV)/.installed-base: $(VENV)/.python-ok requirements/base.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt
	$(PY) -m pip install --quiet -r requirements/test.txt
	@touch $@

venv: $(VENV)/.installed-base
venv-test: $(VENV)/.installed-test

# --- run ---------------------------------------------------------------------
# .env holds this machine's secret key; it is created once and never committed.
.env:
	@echo "Writing .env with a new SECRET_KEY (kept across runs; see .env.example for every variable)"
	@printf 'SECRET_KEY=%s\n' "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

env: $(VENV)/.installed-base .env

setup: env
	@mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_units
	DANVAN_DEMO=true $(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input --verbosity 0

run: setup
	@bash scripts/run.sh "$(HOST)" "$(PORT)" "$(WEB_WORKERS)"

# --- test --------------------------------------------------------------------
lint: venv-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv-test
	$(VENV)/bin/mypy danvan config
	$(VENV)/bin/mypy --strict $$(ls danvan/*/services.py danvan/*/selectors.py danvan/*/rules.py danvan/*/workflow.py danvan/*/actions.py danvan/core/calendar.py 2>/dev/null)

pytest-sqlite: venv-test
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(VENV)/bin/pytest -q -p no:cacheprovider

pytest-postgres: venv-test
	@echo "== pytest on PostgreSQL"
	@bash scripts/with-postgres.sh $(VENV)/bin/pytest -q -p no:cacheprovider --create-db

pytest: pytest-sqlite pytest-postgres

test: lint typecheck pytest

# --- maintenance -------------------------------------------------------------
lock: venv
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --no-header -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.12 --no-header -o requirements/test.txt

messages: venv
	$(PY) manage.py makemessages --locale vi --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale vi --ignore '.venv/*'

bench: venv-test
	DEBUG=1 $(PY) bench/bench_units_load.py
	DEBUG=1 $(PY) bench/bench_deadlines.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
