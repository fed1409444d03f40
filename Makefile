# Two commands for a fresh clone:  make build  (demo site + PDFs)  ·  make test  (whole test suite)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: build build-intern check test serve benchmark system-packages clean

build: $(VENV)/.installed
	$(BIN)/redaktion build

build-intern: $(VENV)/.installed
	$(BIN)/redaktion build --intern

check: $(VENV)/.installed
	$(BIN)/redaktion check

serve: $(VENV)/.installed
	$(BIN)/redaktion serve

test: $(VENV)/.installed-test system-packages
	$(BIN)/pytest

system-packages:
	@bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

benchmark: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build
