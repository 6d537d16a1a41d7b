# wgec: the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

PORT ?= 8000
# The suite's processes (pytest-xdist): one per core; TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto

.PHONY: install messages catalogues run serve test system-packages lint format bench migrations clean backup restore screenshots

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("wgec needs Python 3.13 (see .python-version), not " + sys.version.split()[0]) if sys.version_info[:2] != (3, 13) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,dev]"
	touch $(STAMP)

## install: create .venv, install the pinned dependencies (only when pyproject.toml changed) and
## compile the message catalogues
install: $(STAMP) messages

## catalogues: gather the marked strings of the code and templates into locale/*.po (then translate
## the new entries: tests/project/test_translations.py refuses an empty or fuzzy one)
catalogues: .env
	$(PY) manage.py makemessages -l ar -l es -l fr -l ru -l zh_Hans --no-location --no-wrap --no-obsolete \
	  --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*'

## messages: compile the catalogues of locale/ (.po, kept in git) into the .mo files Django reads
## (git-ignored), as compilemessages does; needs GNU gettext's msgfmt (Debian: gettext)
messages:
	@for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; done

# The development settings of this checkout, read by wgec/settings.py when present (git-ignored;
# the environment wins over it). Without it DEBUG is off and SECRET_KEY is required.
.env: | $(PY)
	@umask 077 && $(PY) -c 'import secrets; print("# Development settings of this checkout, written by make run: never deploy them.\nDEBUG=true\nSECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	@echo "Wrote .env (DEBUG=true and a generated SECRET_KEY) for manage.py commands in this checkout."

## run: set up the SQLite database with the demo data and serve http://127.0.0.1:8000 with a task worker
run: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py create_local_logins
	@$(MAKE) --no-print-directory serve

## serve: the web server and the task worker (Procfile), stopped together by one Ctrl-C or one kill;
## honcho reads no .env itself (--env /dev/null): the settings do, and the environment wins
serve: .env
	PATH="$(abspath $(VENV))/bin:$$PATH" exec $(VENV)/bin/honcho start --env /dev/null --port $(PORT)

## system-packages: the Debian packages the tests need (chromium, poppler-utils, ...), when missing
system-packages:
	.ci/system-packages

## test: lint, the rooms' import contracts, then the whole suite (SQLite, or the database of DATABASE_URL)
test: system-packages install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

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

## screenshots: pictures of every page at 1280 and 390 px into screenshots/ (git-ignored), with an
## index.html: the demo served from a throwaway SQLite database, or the running server at
## SCREENSHOTS_URL (e.g. http://127.0.0.1:8000, its database that of DATABASE_URL);
## ONLY=text keeps the pages whose path or name holds it
screenshots: install .env
	@if [ -n "$(SCREENSHOTS_URL)" ]; then \
		$(PY) manage.py screenshots --url "$(SCREENSHOTS_URL)" --only "$(ONLY)"; \
	else \
		scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
		DATABASE_URL="sqlite:///$$scratch/demo.sqlite3" MEDIA_ROOT="$$scratch/media" \
			$(PY) manage.py screenshots --demo --only "$(ONLY)"; \
	fi

migrations: install
	$(PY) manage.py makemigrations

clean:
	rm -rf $(VENV) staticfiles
