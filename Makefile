# PTCE platform — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production reads its own environment (see README).
DEV_ENV := DEBUG=1 HOST=$(HOST) PORT=$(PORT)
export PYTHONDONTWRITEBYTECODE=1

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast e2e lint format worker beat messages messages-compile ci clean

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  make %-17s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Install into .venv (Python 3.11)

run: install ## Migrate, load the demo PTCE and serve it on http://127.0.0.1:8000 (PORT=8101 to change)
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## Run the whole suite (SQLite, or PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install ## The suite without the browser tests
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

e2e: install ## Only the browser tests (needs chromium on PATH)
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

ci: ## What CI runs: services (PostgreSQL, Redis, Chromium), lint, then the whole suite
	bash .ci/run

lint: install ## ruff lint + format check, layers between apps (lint-imports), Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/lint_imports.py
	$(DEV_ENV) $(BIN)/python manage.py check
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install ## Run Celery beat (needs REDIS_URL)
	$(BIN)/celery -A config beat --loglevel=INFO

messages: install ## Extract (needs gettext) and compile the translation catalogues
	$(BIN)/python scripts/messages.py

messages-compile: install ## Only compile .po to .mo (no gettext needed)
	$(BIN)/python scripts/messages.py --compile-only

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
