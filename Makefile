# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The live game's event streams (quizsite/live_asgi.py), beside gunicorn.
EVENTS_PORT ?= 8001

.PHONY: run dev test test-postgres lint format setup install clean bench messages

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres]'
	touch $@

install: $(VENV)/.installed

# Migrate, load the statement (by natural key: running again duplicates nothing)
# and collect static files.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata statement
	$(PY) manage.py build_cloze_cards
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup
	@echo ""
	@echo "  The quiz site is at http://$(HOST):$(PORT)/"
	@echo "  Create a teacher account in another terminal with:"
	@echo "      $(PY) manage.py create_teacher NAME"
	@echo "  then sign in at http://$(HOST):$(PORT)/admin/ to write questions and quizzes."
	@echo ""
	@# Every page on gunicorn's sync workers; only the live game's event streams on
	@# uvicorn, stopped with gunicorn (docs/architecture.md, "The live game"); one
	@# uvicorn process, whatever WEB_CONCURRENCY (which uvicorn also reads) says.
	DJANGO_DEBUG=0 LIVE_EVENTS_PORT=$(EVENTS_PORT) sh -c '\
	  $(BIN)/uvicorn quizsite.live_asgi:application --host $(HOST) --port $(EVENTS_PORT) \
	    --workers 1 --no-access-log --timeout-graceful-shutdown 2 & events=$$!; \
	  trap "kill $$events 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)'

dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata statement
	$(PY) manage.py build_cloze_cards
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest --cov --cov-report=term

# The suite again against PostgreSQL (.ci/run starts a server), e.g.
#   make test-postgres DATABASE_URL=postgres://quizsite:secret@127.0.0.1:5432/quizsite
# The role needs CREATEDB: the tests make their own databases. Coverage is measured
# once, by `make test`: tracing every line again costs CI minutes and tells nothing new.
# So are the browser journeys (tests/e2e, two thirds of the suite's time): they test
# pages, scripts, layout and accessibility, the same whatever the database; what
# depends on it (races, locks, faults, the cluster, the live game's services, views
# and streams without a browser) runs here too.
# `make test-postgres E2E=1` runs them against PostgreSQL as well.
test-postgres: install
	@case "$(DATABASE_URL)" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://..."; exit 2;; esac
	DATABASE_URL="$(DATABASE_URL)" EXPECT_DATABASE=postgresql $(BIN)/pytest $(if $(E2E),,--ignore=tests/e2e)

# The load bench (bench/README.md): minutes long, never part of `make test`. Sizes and
# durations come from the environment; DATABASE_URL=postgres://.../quizsite_bench for PostgreSQL.
$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,bench,postgres]'
	touch $@

bench: $(VENV)/.bench-installed
	$(PY) -m bench.run

# After changing a translatable string: collect the strings into locale/*/django.po
# (needs GNU gettext: apt-get install gettext), translate, then compile the .mo
# files that `make run` serves (they are committed: a school's machine needs no gettext).
messages: install
	$(PY) manage.py makemessages --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=var -l zh_Hans -l ru -l ar -l fr -l es
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/static .coverage
