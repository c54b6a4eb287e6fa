# Two commands: `make run` serves the platform, `make test` runs the whole suite.
# Each sets itself up (virtual environment, dependencies, translations, database).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
FLASK := FLASK_DEBUG=1 $(BIN)/flask --app concertation
MO := concertation/translations/en/LC_MESSAGES/messages.mo
PO := concertation/translations/en/LC_MESSAGES/messages.po
AXE_DIR := tests/browser/vendor
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js

.PHONY: run test lint mutation install install-test translations browser-deps migrate bench bench-load bench-workers worker extract-messages clean

run: install translations
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

# The suite runs in one process per core (pytest-xdist); PYTEST_WORKERS=0 runs it in this one.
PYTEST_WORKERS ?= auto
test: install-test translations browser-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Lint: ruff (rules in pyproject.toml), the formatter's check, mypy.
LINT_PATHS := concertation tests bench tools config.py migrations
lint: install-test
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

# Mutation testing of the rule modules (cosmic-ray; long, not in CI): MUTATION_MODULES="phases text" to choose.
mutation: install-test
	$(BIN)/python tools/mutation.py $(MUTATION_MODULES)

# axe-core for the browser tests (tests/browser/), from npm. Without npm the browser tests are
# skipped, with the reason; so are they without Chromium (apt-get install chromium chromium-l10n).
browser-deps:
	@if [ -f $(AXE) ] && [ $(AXE) -nt $(AXE_DIR)/package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(AXE_DIR) --no-audit --no-fund --loglevel=error && touch $(AXE) \
	  || echo "npm ci a échoué : les tests dans le navigateur seront ignorés."; \
	else echo "npm absent : axe-core n’est pas installé, les tests dans le navigateur seront ignorés."; fi

# `make run` installs the platform; `make test` adds the test tools (pytest, hypothesis, Playwright…).
install: $(STAMP)

install-test: $(TEST_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire (PYTHON=python3.11 make …).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
	touch $(STAMP)

# CONSTRAINTS=constraints.txt (as CI does) installs exactly the versions the suite was last run with.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
	touch $(TEST_STAMP)

translations: $(MO)

$(MO): $(PO) $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d concertation/translations -l en

# Developers: refresh the English catalogue after changing interface strings.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1,2 -k lazy_ngettext:1,2 -k N_ -o messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i messages.pot -d concertation/translations
	rm messages.pot

# Benchmark of participation on PostgreSQL (BENCH_DATABASE_URL; BENCH_ARGS="--scale 0.1" to run smaller).
bench: install
	$(BIN)/python bench/participation.py $(BENCH_ARGS)

# The app under gunicorn with a crowd on loopback, PostgreSQL restarted and a worker killed mid-run
# (BENCH_DATABASE_URL, default …/bench_load, emptied; BENCH_ARGS="--scale 0.1 --duration 20" to run smaller).
bench-load: install
	$(BIN)/python bench/load.py $(BENCH_ARGS)

# One job worker delivering the outbox (emails) from the queue on Redis: needs JOBS_QUEUE_URL or
# REDIS_URL. Without them `make run` delivers in-process and no worker is needed.
worker: install translations
	$(BIN)/flask --app concertation jobs worker

# Outbox fault run: N workers, one SIGKILLed mid-delivery, every email exactly once (BENCH_REDIS_URL, db 9 by default).
bench-workers: install-test
	$(BIN)/python bench/workers.py $(BENCH_ARGS)

# Developers: write a migration after changing the models.
migrate: install
	$(FLASK) db migrate -m "$(MESSAGE)"

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(AXE_DIR)/node_modules test-artifacts
