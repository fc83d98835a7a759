# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PYTEST := $(VENV)/bin/pytest
# pytest-xdist: one worker per core (each PostgreSQL worker gets its own database; see tests/conftest.py).
# --dist loadgroup keeps the cases about one corpus report on one worker, which reads it once.
PYTEST_WORKERS ?= 2
PDF_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

.PHONY: run test lint test-sqlite test-postgresql install requirements assets bench clean

run: install
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) tracker seed-demo --if-empty
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Runs every test on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set.
test: install
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgresql; \
	 else echo "TEST_DATABASE_URL is not set: the PostgreSQL run is skipped (CI sets it)."; fi

# ruff's rules and formatting (settings in pyproject.toml) over all our Python; mypy over the packages
# that are typed so far.
LINTED := tracker tests bench config.py wsgi.py migrations
TYPED := tracker/importing tracker/plans tracker/exports tracker/services
lint:
	$(VENV)/bin/ruff check --output-format concise $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy $(TYPED)

test-sqlite:
	@echo "== Tests on SQLite =="
	env -u TEST_DATABASE_URL $(PYTEST) -n $(PYTEST_WORKERS) --dist loadgroup

test-postgresql:
	@echo "== Tests on PostgreSQL ($$TEST_DATABASE_URL) =="
	$(PYTEST) -n $(PYTEST_WORKERS) --dist loadgroup

install: $(VENV)/.installed node_modules/.installed tracker/static/css/app.css $(PDF_FONT)

# The PDF packs embed DejaVu Sans from Debian's fonts-dejavu-core (never downloaded at run time).
$(PDF_FONT):
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update
	$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-dejavu-core

# Browser tests drive Debian's chromium (never a downloaded browser); install it when missing.
test: /usr/bin/chromium
/usr/bin/chromium:
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update
	$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# requirements.in and requirements-dev.in name what we import, pinned; this locks them, with every package
# they pull in and its hashes, into the two .txt files that `make install` reads. Versions already locked
# stay as they are unless a pin in a .in file asks for another.
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python $(PYTHON) --custom-compile-command "make requirements"
requirements: $(VENV)/.installed
	$(UV_COMPILE) requirements.in --output-file requirements.txt
	$(UV_COMPILE) requirements-dev.in --output-file requirements-dev.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

tracker/static/css/app.css: node_modules/.installed assets/build.mjs $(wildcard assets/scss/*.scss assets/js/*.mjs assets/*.svg)
	node assets/build.mjs

assets:
	node assets/build.mjs

# Parsing speed, then national-scale load on SQLite and PostgreSQL (writes BENCHMARKS.md), then the
# preview of a 2,000-row plan, then what reading an upload in a child process costs (each adds its own section).
# Each script rewrites only its own sections of BENCHMARKS.md (bench/sections.py), so the order does not
# matter; all three run even when one misses its target, and the target fails if any did.
bench: install
	status=0; \
	$(PYTHON) bench/parse_bench.py || status=1; \
	$(PYTHON) bench/scale_bench.py || status=1; \
	$(PYTHON) bench/plan_bench.py || status=1; \
	$(PYTHON) bench/repeats_bench.py || status=1; \
	$(PYTHON) bench/untrusted_bench.py || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) node_modules tracker/static .pytest_cache
