# Two commands for a fresh clone:  make build  (demo site + PDFs)  ·  make test  (whole test suite)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: build build-intern check test serve benchmark fonts system-packages clean

build: $(VENV)/.installed fonts
	$(BIN)/redaktion build

build-intern: $(VENV)/.installed fonts
	$(BIN)/redaktion build --intern

check: $(VENV)/.installed
	$(BIN)/redaktion check

serve: $(VENV)/.installed fonts
	$(BIN)/redaktion serve

test: $(VENV)/.installed-test system-packages
	$(BIN)/lint-imports
	$(BIN)/pytest

# Fonts for the PDF's other scripts: installed as root, otherwise only a hint (German works without).
fonts:
	@bash scripts/system-packages.sh build

# Everything the test suite needs (fonts, Chromium, pdftotext): missing packages stop `make test`.
system-packages:
	@bash scripts/system-packages.sh test

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
