# The two commands: `make run` and `make test`. Everything else is a helper of these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PYTEST_ARGS ?= -n 2
export FLASK_APP := app

.PHONY: run test install assets translations messages serve-prod bench clean mutants

run: $(VENV)/.installed assets translations
	$(BIN)/flask db upgrade
	$(BIN)/flask forum seed-demo --if-empty
	$(BIN)/flask search reindex --if-stale
	PORT=$(PORT) $(BIN)/python app.py

test: $(VENV)/.installed-test assets translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

# Mutation testing of one area (setup.cfg [mutants:AREA]; docs/tests.md): mutmut changes the
# code one mutant at a time in a copy (mutants/) and runs the area's tests, on SQLite. Not part
# of `make test`: `make mutants AREA=permissions` takes minutes, AREA=moderation hours.
# FORUM_TEST_DATABASE_URL is emptied: every test would otherwise run twice per mutant.
AREA ?= permissions
mutants: $(VENV)/.installed-mutants assets translations
	FORUM_TEST_DATABASE_URL= $(BIN)/python tests/mutation.py run $(AREA)
	$(BIN)/python tests/mutation.py score $(AREA)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-mutants: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,mutants]'
	touch $@

# Compiled catalogues are build products: the .po files are the source. Fuzzy (guessed)
# entries are left out: the interface shows the French text rather than a wrong guess.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d forum/translations

# After adding or changing texts: extract every _(), ngettext() and lazy_gettext() (or _l()) of the code
# and templates into the template catalogue, then merge it into the English catalogue, whose
# new or changed entries are then translated by hand (tests/test_i18n.py lists what is missing).
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k _l -k ngettext:1,2 -k lazy_gettext --no-location \
		--sort-output --omit-header -o forum/translations/messages.pot .
	$(BIN)/pybabel -q update -i forum/translations/messages.pot -d forum/translations -l en \
		--init-missing --ignore-obsolete --ignore-pot-creation-date

# The Socket.IO browser client comes from npm (package.json, pinned in package-lock.json),
# never from a CDN; the copy in static/vendor is a build product (git-ignored).
assets: static/vendor/socket.io.min.js

node_modules/.package-lock.json: package.json $(wildcard package-lock.json)
	@command -v npm >/dev/null || { echo "Agora needs Node.js and npm (README.md, What is needed): apt install npm, then make run again."; exit 1; }
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; \
	else npm install --no-audit --no-fund --loglevel=error; fi
	touch $@

static/vendor/socket.io.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

# Production-like serving on the local services (docs/production.md):
# PostgreSQL and Redis on 127.0.0.1, gunicorn with $(WORKERS) gevent workers (gunicorn.conf.py).
PROD_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/agora
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0
WORKERS ?= 2
PROD_ENV = FORUM_DATABASE_URL=$(PROD_DATABASE_URL) FORUM_REDIS_URL=$(PROD_REDIS_URL) FORUM_SEARCH_BACKEND=postgres

serve-prod: $(VENV)/.installed assets translations
	$(BIN)/pip install --quiet -e '.[prod]'
	$(BIN)/python -c "import sys; from sqlalchemy import create_engine, text; from sqlalchemy.engine import make_url; \
	  url = make_url(sys.argv[1]); e = create_engine(url.set(database='postgres'), isolation_level='AUTOCOMMIT'); c = e.connect(); \
	  c.execute(text('SELECT 1 FROM pg_database WHERE datname = :n'), {'n': url.database}).scalar() or \
	  c.execute(text('CREATE DATABASE \"%s\"' % url.database))" '$(PROD_DATABASE_URL)'
	$(PROD_ENV) $(BIN)/flask db upgrade
	$(PROD_ENV) $(BIN)/flask forum seed-demo --if-empty
	$(PROD_ENV) PORT=$(PORT) AGORA_WORKERS=$(WORKERS) $(BIN)/gunicorn -c gunicorn.conf.py app:app

clean:
	rm -rf $(VENV) node_modules static/vendor mutants
