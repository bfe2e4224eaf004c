# transflow — every target installs what it needs into .venv itself and is idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A real LibreTranslate server for the tests lives in its own venv (it pins
# polib/numpy/flask versions that clash with ours); built once, then reused.
LT_VENV := .transflow/libretranslate-venv
ARGOS_VERSION := 1.11.0
# System tools the tests use as outside judges (msgfmt, pofilter/pocount, xmllint, chromium,
# and Java + npm for the W3C Nu HTML checker), and tmux to run `transflow review` in a real
# 80x24 terminal.
SYSTEM_TOOLS := msgfmt:gettext pocount:translate-toolkit xmllint:libxml2-utils chromium:chromium \
	java:default-jre-headless npm:npm tmux:tmux
# The W3C Nu HTML checker judges every exported page (tests/test_export_site.py); its npm
# package ships vnu.jar itself (--ignore-scripts: no Java download, Java is a system tool).
VNU_VERSION := 26.9.27
VNU_DIR := .transflow/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: all demo test bench lint typecheck venv system-tools vnu clean

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

vnu: system-tools
	@if [ -f $(VNU_JAR) ] && grep -q '"version": "$(VNU_VERSION)"' $(VNU_DIR)/node_modules/vnu-jar/package.json; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "installing the Nu HTML checker (npm vnu-jar@$(VNU_VERSION)) into $(VNU_DIR)"; \
	  mkdir -p $(VNU_DIR) && npm install --prefix $(VNU_DIR) --no-audit --no-fund --ignore-scripts \
	    --silent vnu-jar@$(VNU_VERSION) \
	    || echo "warning: could not install vnu-jar; the Nu HTML checker test will be skipped"; \
	else echo "note: npm missing; the Nu HTML checker test will be skipped"; fi

# The demo works on a fresh copy of the bundled project in $(DEMO), so it can be
# run again and again without touching the tracked catalogs. It uses the Argos
# models installed in this checkout (.transflow/models), if any.
DEMO := .transflow/demo
TF := $(CURDIR)/$(BIN)/transflow
demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	cp -r pyproject.toml glossary.yaml source locales $$(test -d memory && echo memory) $(DEMO)/
	@echo "== transflow segment: the appeals as translation units"
	cd $(DEMO) && $(TF) segment
	@echo "== transflow pretranslate: memory first, then Argos where a model is installed"
	cd $(DEMO) && TRANSFLOW_MODELS_DIR=$(CURDIR)/.transflow/models $(TF) pretranslate
	@echo "== transflow check: glossary and prose checks (warnings and errors)"
	cd $(DEMO) && $(TF) check --severity warning || echo "(check found errors: exit $$?)"
	@echo "== transflow coverage: what is ready to publish"
	cd $(DEMO) && $(TF) coverage --html coverage.html
	@echo "HTML report: $(DEMO)/coverage.html"
	@echo "== transflow export: the website of what is publishable (gaps in English, labelled)"
	cd $(DEMO) && $(TF) export --format site --out site --allow-partial --base-url http://localhost:8000/
	@echo "Website: open $(DEMO)/site/index.html (or: cd $(DEMO)/site && python3 -m http.server)"

lint: $(STAMP)
	$(BIN)/ruff check src tui tests bench
	$(BIN)/ruff format --check src tui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) system-tools vnu lint typecheck
	PYTHON=$(PYTHON) bash scripts/libretranslate-env.sh $(LT_VENV) >/dev/null
	$(BIN)/python -m pytest -q

# The benchmarks run in their own venv: bench/bench_mt.py's per-sentence baseline
# needs the full argostranslate (torch, stanza, minisbd), which .venv never gets.
# torch first, pinned: a CPU build lies on this machine (pip's find-links); left to
# argostranslate's resolver, pip would fetch a ~6 GB CUDA build. Built once; the
# stamp records what went in (and pyproject.toml's hash), so a change rebuilds it.
BENCH_VENV := .transflow/bench-venv
BENCH_TORCH := 2.13.0

bench:
	@want="torch==$(BENCH_TORCH) argostranslate==$(ARGOS_VERSION) $$(sha256sum pyproject.toml | cut -c1-16)"; \
	if [ -x $(BENCH_VENV)/bin/python ] && [ "$$(cat $(BENCH_VENV)/.transflow-stamp 2>/dev/null)" = "$$want" ]; then \
		echo "bench venv up to date: $(BENCH_VENV)"; \
	else \
		echo "building bench venv in $(BENCH_VENV) ($$want)" && \
		rm -rf $(BENCH_VENV) && mkdir -p $(dir $(BENCH_VENV)) && \
		$(PYTHON) -m venv $(BENCH_VENV) && \
		$(BENCH_VENV)/bin/python -m pip install -q torch==$(BENCH_TORCH) && \
		$(BENCH_VENV)/bin/python -m pip install -q -e . 'argostranslate==$(ARGOS_VERSION)' 'torch==$(BENCH_TORCH)' && \
		$(BENCH_VENV)/bin/python -c 'import torch, sys; sys.exit(0 if "+cpu" in torch.__version__ else "bench venv: pip replaced the CPU torch with " + torch.__version__)' && \
		echo "$$want" > $(BENCH_VENV)/.transflow-stamp; \
	fi
	$(BENCH_VENV)/bin/python bench/run.py

clean:
	rm -rf $(VENV) .transflow/cache .pytest_cache .mypy_cache .ruff_cache
