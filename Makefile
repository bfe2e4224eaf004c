# transflow — every target installs what it needs into .venv itself and is idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A real LibreTranslate server for the tests lives in its own venv (it pins
# polib/numpy/flask versions that clash with ours); built once, then reused.
LT_VENV := .transflow/libretranslate-venv
ARGOS_VERSION := 1.11.0
# System tools the tests use as outside judges (msgfmt, pofilter/pocount, xmllint, chromium).
SYSTEM_TOOLS := msgfmt:gettext pocount:translate-toolkit xmllint:libxml2-utils chromium:chromium

.PHONY: all demo test bench lint typecheck venv system-tools clean

all: test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	# argostranslate's package format and tokenizer only: its sentence splitters
	# (stanza, spaCy, minisbd) would pull ~1.3 GB of torch that transflow never uses.
	$(BIN)/python -m pip install -q --no-deps argostranslate==$(ARGOS_VERSION)
	touch $(STAMP)

venv: $(STAMP)

system-tools:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  cmd=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing system tools:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "warning: could not install$$missing; tests that need them will be skipped"; \
	  else echo "note: missing$$missing (not root or no apt-get); tests that need them will be skipped"; fi; \
	fi

demo: $(STAMP)
	$(BIN)/python -m transflow.demo

lint: $(STAMP)
	$(BIN)/ruff check src tui tests bench
	$(BIN)/ruff format --check src tui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) system-tools lint typecheck
	PYTHON=$(PYTHON) bash scripts/libretranslate-env.sh $(LT_VENV) >/dev/null
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q 'argostranslate==$(ARGOS_VERSION)'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .transflow/cache .pytest_cache .mypy_cache .ruff_cache
