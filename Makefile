# wgec: the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run serve test lint format bench migrations clean backup restore

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("wgec needs Python 3.13 (see .python-version), not " + sys.version.split()[0]) if sys.version_info[:2] != (3, 13) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

## install: create .venv and install the pinned dependencies (only when pyproject.toml changed)
install: $(STAMP)

## run: set up the SQLite database with the demo data and serve http://127.0.0.1:8000 with a task worker
run: export DEBUG ?= true
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py create_local_logins
	@$(MAKE) --no-print-directory serve

serve: export DEBUG ?= true
serve:
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker --queue-name default & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:8000

## test: lint, the rooms' import contracts, then the whole suite (SQLite, or the database of DATABASE_URL)
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: the speed and memory benchmarks on SQLite and PostgreSQL; figures go to docs/benchmarks.md
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wgec
bench: install
	env -u DATABASE_URL $(PY) bench/run.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py

## backup: one file with the database of DATABASE_URL (SQLite or PostgreSQL) and the media files;
## its path is printed last
backup: install
	$(PY) manage.py backup

## restore FILE=path: replace the database of DATABASE_URL (empty or migrated) and the media files
restore: install
	@test -n "$(FILE)" || { echo "Name the backup file: make restore FILE=backups/wgec-....tar.gz" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)"

migrations: install
	$(PY) manage.py makemigrations

clean:
	rm -rf $(VENV) staticfiles
