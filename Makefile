# ospo — every target installs what it needs first; `make test` is what CI runs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := build/demo

# Real packages, pinned, installed from PyPI and npm as a user would: the tests judge the
# licenses ospo gives them (tests/test_real_packages.py); the tests themselves stay offline.
REAL := build/real-packages
REAL_SRC := tests/data/real-packages

.PHONY: install system-deps test lint pytest selfcheck demo bench clean

install: $(STAMP) $(REAL)/.installed

# Debian packages the project needs, installed only where missing (as root, on a fresh
# machine): git (file listing honours .gitignore), npm (the real npm packages the tests
# read), Pango and a font (WeasyPrint lays out the PDF packet), poppler-utils (pdftotext:
# the tests read the PDF back), chromium (the tests open the HTML packet headless) and
# postgresql (the tests start a throwaway server for the shared result store). Tools are
# looked for on PATH (tool:package), libraries with dpkg; Debian keeps PostgreSQL's
# server programs off PATH, so they are looked for where it puts them too.
DEBIAN_TOOLS := git:git npm:npm pdftotext:poppler-utils chromium:chromium
DEBIAN_LIBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@missing=""; \
	for pair in $(DEBIAN_TOOLS); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	for pkg in $(DEBIAN_LIBS); do dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$pkg"; done; \
	{ command -v initdb && command -v pg_ctl; } >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Peer tools the tests compare ospo with, in their own virtualenv: cyclonedx-py brings
# jsonschema's format checkers, which would slow ospo's own schema validation ~50x.
PEER_VENV := $(VENV)/peers
CYCLONEDX_BOM := cyclonedx-bom==7.5.0

$(STAMP): pyproject.toml Makefile | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,pdf,postgresql]'
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet '$(CYCLONEDX_BOM)'
	touch $(STAMP)

# requirements-review.txt: distributions the default policy denies in a binary or asks the
# board to decide (strong copyleft, an assumed license), installed apart so that the release
# the NOTICE and packet tests build from site-packages keeps its story
$(REAL)/.installed: $(REAL_SRC)/requirements.txt $(REAL_SRC)/requirements-review.txt $(REAL_SRC)/npm/package-lock.json | $(STAMP)
	rm -rf $(REAL)
	$(PY) -m pip install --quiet --no-deps --no-compile --target $(REAL)/site-packages -r $(REAL_SRC)/requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-compile --target $(REAL)/review-site-packages -r $(REAL_SRC)/requirements-review.txt
	mkdir -p $(REAL)/npm
	cp $(REAL_SRC)/npm/package.json $(REAL_SRC)/npm/package-lock.json $(REAL)/npm/
	cd $(REAL)/npm && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

lint: install
	$(VENV)/bin/ruff check ospo tests bench
	$(VENV)/bin/ruff format --check ospo tests bench
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest

# ospo's own gate on its own tree and the environment it runs in, every dependency with
# its license (profile source, decisions in .ospo/waivers.yml). Offline, as the tests are:
# the registries' answers (release dates, relicensing) are asked for by `make demo`.
selfcheck: install
	mkdir -p build/self
	$(VENV)/bin/ospo scan . --env $(VENV) -q -o build/self/inventory.json
	$(VENV)/bin/ospo check --inventory build/self/inventory.json --fail-on error --offline

test: lint pytest selfcheck

# The main job on a real example: ospo scans its own source tree and the environment it
# runs in (every dependency, with its license), judges them against its policy and writes
# the reports.
demo: install
	mkdir -p $(DEMO)
	$(VENV)/bin/ospo scan . --env $(VENV) -o $(DEMO)/inventory.json --cyclonedx $(DEMO)/bom.cdx.json
	$(VENV)/bin/ospo check --inventory $(DEMO)/inventory.json --fail-on error -o $(DEMO)/check.txt
	$(VENV)/bin/ospo check --inventory $(DEMO)/inventory.json --fail-on error --format sarif -o $(DEMO)/check.sarif
	$(VENV)/bin/ospo check --inventory $(DEMO)/inventory.json --fail-on error --format markdown -o $(DEMO)/check.md
	$(VENV)/bin/ospo packet --inventory $(DEMO)/inventory.json --format html -o $(DEMO)/packet.html
	$(VENV)/bin/ospo packet --inventory $(DEMO)/inventory.json --format pdf -o $(DEMO)/packet.pdf
	$(VENV)/bin/ospo notice --inventory $(DEMO)/inventory.json --format text -o $(DEMO)/NOTICE.txt
	cat $(DEMO)/check.txt
	@echo "The review board's packet: $(DEMO)/packet.html and $(DEMO)/packet.pdf"
	@echo "The NOTICE the release ships with: $(DEMO)/NOTICE.txt"

bench: install
	$(PY) bench/run.py
	$(PY) bench/policy.py
	$(PY) bench/packet.py
	$(PY) bench/hook.py
	$(PY) bench/hook_commits.py
	$(PY) bench/npm.py
	$(PY) bench/health.py
	$(PY) bench/store.py
	$(PY) bench/portfolio.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
