# Two commands set everything up on a fresh clone: `make run` and `make test`.
# Django 6.1 needs Python 3.12 or newer: the first such interpreter on PATH, then pyenv's.
PYTHON ?= $(shell for candidate in python3.14 python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$candidate; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run dev test test-postgres e2e e2e-repeat lint format migrations-check check-deploy bench \
	mutate install install-dev validators clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6.1) and none was found:" \
		"install python3.12 or newer, or run make PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian or Ubuntu," \
		"install the venv module (apt-get install python3-venv, or python3.12-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The platforms' own readers, which tests/evidence/validators/ runs over every export (they
# skip without them, and fail under CI=true): promptfoo and @log4brains/core from npm, pinned
# by the lock file, and AWS's Nova checker in a venv of its own. promptfoo's optional
# packages (its many providers' SDKs: 1.2 GB of 1.6) are left out, since the tests run its
# `echo` provider; its SQLite binding is built here from source (its prebuilt download is out
# of reach), against Debian's Node headers when they are there.
VALIDATORS := devtools/validators
NODE_HEADERS := $(if $(wildcard /usr/include/node/node.h),npm_config_nodedir=/usr)
$(VALIDATORS)/node_modules/.installed: $(VALIDATORS)/package-lock.json
	cd $(VALIDATORS) && npm ci --omit=optional --ignore-scripts --no-audit --no-fund \
		--loglevel=error
	cd $(VALIDATORS) && $(NODE_HEADERS) npm rebuild better-sqlite3 --loglevel=error
	touch $@

$(VALIDATORS)/.venv/.installed: $(VALIDATORS)/requirements.txt | $(BIN)/python
	$(PYTHON) -m venv $(VALIDATORS)/.venv
	$(VALIDATORS)/.venv/bin/pip install --quiet -r $(VALIDATORS)/requirements.txt
	touch $@

validators: $(VALIDATORS)/node_modules/.installed $(VALIDATORS)/.venv/.installed

# A key of this machine's own for `make run` and `make dev`, made once and kept out of git
# (.gitignore): with DEBUG off the server refuses the public development key. An exported
# SECRET_KEY still wins.
LOCAL_SECRET := .local/secret_key
$(LOCAL_SECRET): | $(BIN)/python
	@mkdir -p $(dir $@)
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Made a secret key for this machine in $@ (not in git)."
LOCAL_KEY = SECRET_KEY="$${SECRET_KEY:-$$(cat $(LOCAL_SECRET))}"

# `make run` serves as production does: gunicorn, DEBUG off (so the site's own 404 and 500 pages),
# hashed static files from WhiteNoise, the task worker beside it. Over plain http on this
# machine: cookies are not Secure-only unless SECURE_COOKIES=true.
RUN_ENV = DEBUG=false STATIC_MANIFEST=true STATIC_COMPRESS=false $(LOCAL_KEY) \
	SITE_URL=http://$(HOST_PORT)
run: install $(LOCAL_SECRET)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	@echo "Open http://$(HOST_PORT)/ and log in with the demo account above. Ctrl-C stops both."
	$(RUN_ENV) HOST_PORT=$(HOST_PORT) $(BIN)/honcho start --procfile Procfile

# For changing the code: runserver reloading on every save, DEBUG on (Django's technical error
# pages), static files straight from static/, the worker restarting on changes too.
dev: install $(LOCAL_SECRET)
	DEBUG=true $(LOCAL_KEY) $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(LOCAL_KEY) SITE_URL=http://$(HOST_PORT) $(BIN)/python manage.py load_demo
	@echo "Open http://$(HOST_PORT)/ (runserver, reloading on changes). Ctrl-C stops both."
	DEBUG=true $(LOCAL_KEY) HOST_PORT=$(HOST_PORT) SITE_URL=http://$(HOST_PORT) WORKER_ARGS=--reload \
		WEB_COMMAND="$(BIN)/python manage.py runserver $(HOST_PORT)" \
		$(BIN)/honcho start --procfile Procfile

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite on PostgreSQL; DATABASE_URL must point at a server you may create databases on.
test-postgres: install-dev
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

e2e: install-dev
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

# The browser tests N times in a row, each run with a fresh server: a flaky test shows here.
N ?= 20
e2e-repeat: install-dev
	@green=0; for run in $$(seq 1 $(N)); do \
		if $(BIN)/pytest -m e2e -q $(PYTEST_ARGS) > $(VENV)/e2e-repeat.log 2>&1; then \
			green=$$((green + 1)); echo "run $$run: green"; \
		else echo "run $$run: FAILED"; tail -n 30 $(VENV)/e2e-repeat.log; fi; \
	done; echo "$$green of $(N) runs green"; test $$green -eq $(N)

# Known mistakes made one at a time (devtools/mutations.py), each against the tests that must
# catch it; prints killed of total and fails below 90 %. `make mutate MUTATE_ARGS="--only review"`
# runs one area; --list shows them all.
MUTATE_ARGS ?=
mutate: install-dev
	$(BIN)/python -m devtools.mutate $(MUTATE_ARGS)

# ruff, and import-linter holding the layers in pyproject.toml (docs/conventions.md).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

# Django's deployment checks with the settings a production server runs (README, Deploying):
# HTTPS only, HSTS, secure cookies, its own secret key, SMTP, hashed static files.
PRODUCTION_ENV := DEBUG=false ALLOWED_HOSTS=decisions.example.com SECURE_COOKIES=true \
	SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=true \
	SECURE_HSTS_PRELOAD=true STATIC_MANIFEST=true EMAIL_HOST=smtp.example.com \
	SITE_URL=https://decisions.example.com
check-deploy: install
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(PRODUCTION_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# Keeps .local/secret_key: a new one would log everyone out and change the demo's share link.
clean:
	rm -rf $(VENV) staticfiles $(VALIDATORS)/node_modules $(VALIDATORS)/.venv

# Timings against references measured in the same run, in a throwaway database of 1,000
# projects; `make bench BENCH_ARGS="--live 20 --seconds 60"` drives concurrent wizard clients
# against gunicorn instead (add --kill-after 30 to SIGKILL it midway).
BENCH_ARGS ?=
bench: install-dev
	$(BIN)/python manage.py bench $(BENCH_ARGS)
