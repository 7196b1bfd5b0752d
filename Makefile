# Zhongyan: `make run` starts the embedded platform, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
APT := $(shell command -v apt-get 2>/dev/null)
ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: run test setup deps system-deps browser messages migrate demo lint check-py bench clean

# Python 3.11+ is the only prerequisite; Debian packages below are installed when missing.
check-py:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Zhongyan needs Python 3.11 or newer.")'

$(VENV)/.installed: requirements.txt requirements-dev.txt | check-py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed

# gettext compiles the translation catalogues; Noto CJK renders Chinese in PDFs.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(APT)" ] && [ -n "$(ROOT)" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (Debian/Ubuntu: apt-get install$$missing)"; exit 1; fi; \
	fi

# Browser tests drive Debian's Chromium; without it (and no way to install it) they are skipped loudly.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ -n "$(APT)" ] && [ -n "$(ROOT)" ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || true; \
	fi

messages: deps system-deps
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

setup: deps system-deps messages

migrate: setup
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	$(PY) manage.py load_demo

# Links in the demo's notifications and in the printed logins point at the server `make run` starts.
run demo: export SITE_URL ?= http://$(HOST):$(PORT)

run: demo
	@$(PY) manage.py demo_logins
	@echo "Zhongyan is running on http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/)  Ctrl-C stops it."
	$(PY) -m zhongyan.server --host $(HOST) --port $(PORT) --workers 1

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 1

test: setup browser lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
