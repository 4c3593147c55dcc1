# LMN — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export LMN_DATA_DIR ?= $(CURDIR)/data
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/lmn

.PHONY: run test lint typecheck test-sqlite test-postgres bench bench-crash bench-invoicing setup clean messages

$(VENV)/.runtime: requirements.txt
	@py=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || $$py -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --no-input -v 0

# Serve with gunicorn (threads in two processes; SQLite writers queue on a file lock,
# see lmn/core/sqlite/base.py), with one task worker (manage.py run_worker: scheduled jobs
# such as pickup deadlines and notifications, see README) running beside it and stopped with it.
run: setup
	@echo "LMN körs på http://127.0.0.1:$(PORT)/  (Ctrl-C avslutar)"
	@$(PY) manage.py run_worker --no-reload > "$(LMN_DATA_DIR)/worker.log" 2>&1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn lmn.config.wsgi -b 127.0.0.1:$(PORT) -w 2 -k gthread --threads 4 \
	    --access-logfile - --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(M)sms'

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy lmn

test-sqlite: $(VENV)/.dev
	env -u DATABASE_URL $(VENV)/bin/pytest

# On PostgreSQL: required when LMN_REQUIRE_POSTGRES=1 (CI), else skipped if none answers.
test-postgres: $(VENV)/.dev
	@if $(PY) scripts/pg-ready "$(PG_TEST_URL)"; then \
	  DATABASE_URL="$(PG_TEST_URL)" $(VENV)/bin/pytest; \
	elif [ "$${LMN_REQUIRE_POSTGRES:-0}" = 1 ]; then \
	  echo "PostgreSQL at $(PG_TEST_URL) is required but does not answer." >&2; exit 1; \
	else echo "PostgreSQL does not answer at $(PG_TEST_URL): skipping the PostgreSQL run."; fi

test: lint typecheck test-sqlite test-postgres

bench: $(VENV)/.dev
	$(PY) bench/run.py --db both

# The monthly invoicing run over 1,000,000 withdrawal lines: lines/s and peak memory.
bench-invoicing: $(VENV)/.dev
	$(PY) bench/invoicing.py --db both $(BENCH_ARGS)

# Crash safety: SIGKILL the server while clients order; lost, duplicates and 500s must be 0.
bench-crash: $(VENV)/.dev
	$(PY) bench/crash.py --db both $(BENCH_ARGS)

# The catalogue: Swedish is the source language (the msgids, so no Swedish catalogue:
# it would be all empty), English is translated in
# locale/en/LC_MESSAGES/django.po. After merging new pages or messages: `make messages`,
# translate the new (empty or fuzzy) English entries, `make messages` again to compile;
# lmn/web/tests/test_i18n.py fails until every entry is translated and the .mo is fresh.
# Obsolete entries are dropped (--no-obsolete) so the .po holds only what the code uses.
messages: $(VENV)/.runtime
	$(PY) manage.py makemessages --locale en --no-obsolete --no-location \
	  --ignore '.venv/*' --ignore 'data/*' --ignore 'bench/*' --ignore 'docs/*' --ignore '*/tests/*'
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*' --ignore 'data/*'

clean:
	rm -rf $(VENV) data
