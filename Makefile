# Qingzhai: `make run` serves the demo; `make test` runs the whole suite (SQLite, then PostgreSQL
# when DATABASE_URL points to one).
SHELL := /bin/bash
# The first of these that runs and is Python >= 3.11 (a pyenv shim may exist without a working interpreter).
PYTHON ?= $(shell for p in python3 python3.12 python3.11 python3.13; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
export QINGZHAI_DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev system-deps lint typecheck migrate demo serve bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required (python3 --version)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev system-deps

# Debian packages: Chromium for the browser tests, CJK fonts for screenshots and documents, poppler-utils
# (pdftotext, pdftoppm) to read generated court documents back in the tests, espeak-ng (Mandarin voice)
# for the voice bot's text-to-speech.
system-deps:
	@missing=""; \
	for pkg in chromium fonts-noto-cjk poppler-utils espeak-ng; do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

run: setup
	QINGZHAI_DEBUG=$${QINGZHAI_DEBUG:-1} QINGZHAI_REQUIRE_2FA=$${QINGZHAI_REQUIRE_2FA:-0} $(BIN)/qingzhai migrate
	QINGZHAI_DEBUG=$${QINGZHAI_DEBUG:-1} QINGZHAI_REQUIRE_2FA=$${QINGZHAI_REQUIRE_2FA:-0} $(BIN)/qingzhai demo
	QINGZHAI_DEBUG=$${QINGZHAI_DEBUG:-1} QINGZHAI_REQUIRE_2FA=$${QINGZHAI_REQUIRE_2FA:-0} $(BIN)/qingzhai serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	env -u DATABASE_URL QINGZHAI_DATA_DIR=$(CURDIR)/var/lint QINGZHAI_ALLOW_GENERATED_SECRETS=1 \
	  $(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.installed-dev
	env -u DATABASE_URL QINGZHAI_DATA_DIR=$(CURDIR)/var/lint QINGZHAI_ALLOW_GENERATED_SECRETS=1 \
	  $(BIN)/mypy src/qingzhai

TEST_ENV := QINGZHAI_DATA_DIR=$(CURDIR)/var/test QINGZHAI_ALLOW_GENERATED_SECRETS=1 \
	QINGZHAI_AUDIT_PURGE_ALLOWED=1 QINGZHAI_TEST_OUTPUT=$(CURDIR)/test-output
# Two or more processes (pytest-xdist, one per core); the slowest tests are listed at the end.
PYTEST_ARGS ?= -n auto --durations=15

test: setup-dev lint typecheck
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL -u CELERY_BROKER_URL $(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== test suite on PostgreSQL ($${DATABASE_URL}) =="; \
	  env -u CELERY_BROKER_URL $(TEST_ENV) QINGZHAI_TEST_OUTPUT=$(CURDIR)/test-output/postgresql \
	    $(BIN)/pytest $(PYTEST_ARGS); \
	else echo "DATABASE_URL is not PostgreSQL: the PostgreSQL leg is skipped"; fi

bench: setup-dev
	$(BIN)/python benchmarks/import_portfolio.py
	$(BIN)/python benchmarks/case_queue.py
	$(BIN)/python benchmarks/screening.py
	$(BIN)/python benchmarks/gate.py
	$(BIN)/python benchmarks/evidence_append.py
	$(BIN)/python benchmarks/evidence_proofs.py
	$(BIN)/python benchmarks/profiling_parse.py
	$(BIN)/python benchmarks/profiling_indicators.py
	@echo "== optional extra .[bench]: public datasets and peer libraries (models, legal calendar) =="
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/model_public.py
	$(BIN)/python benchmarks/model_throughput.py
	$(BIN)/python benchmarks/legal_calculators.py
	$(BIN)/python benchmarks/legal_documents.py
	$(BIN)/python benchmarks/emotion.py
	$(BIN)/python benchmarks/contact_sms.py
	$(BIN)/python benchmarks/campaign_planning.py
	$(BIN)/python benchmarks/campaign_demo.py --check

clean:
	rm -rf $(VENV) var test-output .pytest_cache .mypy_cache .ruff_cache
