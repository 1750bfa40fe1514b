# Attest: `make run` serves the demo, `make test` runs the whole suite. Both install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

CHROMIUM ?= /usr/bin/chromium
# `make test` runs the suite in parallel with pytest-xdist, one worker per core, each on a test
# database of its own; then, on their own, the tests that assert how long something took
# (marked wall_clock in tests/conftest.py), which a neighbouring worker would slow down.
# `make test WORKERS=0` runs everything in one process.
WORKERS ?= auto

.PHONY: install browser wrk run test benchmark lint format check clean loadtest

# Reinstall whenever the pinned dependencies change.
$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "Python's venv module is missing: installing python3-venv (Debian)."; \
	  apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable '.[test]'
	@touch $@

install: $(INSTALLED)

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's Chromium for the browser tests."; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium libatomic1 >/dev/null; }

# The public-page benchmark measures with wrk, from Debian's packages.
wrk:
	@command -v wrk >/dev/null || { \
	  echo "Installing wrk for the public-page benchmark."; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving Attest on http://$(HOST):$(PORT)/  (Ctrl-C stops it and its task worker)"
	@# The task worker (database backend) runs beside the web server and stops with it.
	$(PY) manage.py db_worker --queue-name '*' --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser
ifeq ($(WORKERS),0)
	$(PY) -m pytest
else
	$(PY) -m pytest -n $(WORKERS) --dist worksteal -m "not wall_clock"; parallel=$$?; \
	$(PY) -m pytest -m wall_clock; serial=$$?; \
	test $$parallel = 0 && { test $$serial = 0 || test $$serial = 5; }
endif

# Throughput of a public page against a bare view of the same size, served by gunicorn.
benchmark: install wrk
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py benchmark_public

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

# 200 readers, 20 editors and 3 curators at once (locust) against gunicorn with several workers,
# for a few minutes. It uses PostgreSQL: a fresh database made for the run and dropped after it,
# named by DATABASE_URL, by default postgres://attest:attest@127.0.0.1:5432/attest_loadtest.
# Options go in LOADTEST_ARGS, e.g. LOADTEST_ARGS="--users 50/5/1 --duration 60 --workers 2".
LOADTEST_DATABASE_URL ?= postgres://attest:attest@127.0.0.1:5432/attest_loadtest
loadtest: install
	DATABASE_URL=$${DATABASE_URL:-$(LOADTEST_DATABASE_URL)} $(PY) manage.py loadtest $(LOADTEST_ARGS)
