# The two README commands: `make run` (set up and serve with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.lock | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
PYTEST_ARGS ?= -n 2
MANAGE := $(BIN)/python manage.py

.PHONY: install messages setup run prod test browser node lint typecheck lock

$(STAMP): requirements/dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Compiled translations are built, not committed: Babel compiles them without system gettext.
messages: install
	$(BIN)/pybabel compile --domain django --directory locale --statistics

setup: messages
	mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) load_programme --demo-accounts
	$(MANAGE) load_assessment_data
	$(MANAGE) load_demo_events
	$(MANAGE) load_practices
	$(MANAGE) load_demo_finance
	$(MANAGE) load_demo_year

# The web server and the task queue's worker together (Procfile, run by honcho).
run: setup
	@echo "Serving the platform at http://127.0.0.1:8000 with its worker (Ctrl-C stops both)"
	DJANGO_DEBUG=1 $(BIN)/honcho start -f Procfile

# Production on one machine: PostgreSQL and Redis named by the environment or .env (.env.example,
# docs/operators.md); the deployment check, the migrations and the static files, then gunicorn,
# a worker and the scheduler (Procfile.production, run by honcho; Ctrl-C stops them).
prod: export DJANGO_SETTINGS_MODULE = config.settings.production
prod: messages
	$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input -v 0
	$(BIN)/honcho start -f Procfile.production --port $${PORT:-8000}

# pytest exits 5 when it collected nothing: that is a failure here, not a pass. The browser
# tests run in a session of their own (a live server flushes the data after each test).
test: messages browser node
	$(BIN)/pytest $(PYTEST_ARGS) -m "not e2e"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	[ $$rc -eq 0 ] || exit $$rc
	$(BIN)/pytest -p no:xdist -m e2e tests/e2e

# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# The test suite's npm packages (package-lock.json: axe-core for the accessibility test), from
# the npm registry at install time; the platform itself serves none of them.
$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "The accessibility test needs Node.js and npm: sudo apt-get install nodejs npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node: $(NODE_STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

# Re-pin the whole dependency tree after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -q -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -q -o requirements/dev.lock
