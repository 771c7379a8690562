# The two commands of this project (see README):
#   make        set up a virtual environment, check the policy and build the site into site/
#   make test   install what the tests need and run them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test
run: $(VENV)/.installed
	$(BIN)/policy check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium; install it when it is missing (CI runs as root).
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@# pip compiles what it installs, but not an editable package; `policy` starts faster
	@# with bytecode, also where PYTHONDONTWRITEBYTECODE stops Python from writing it.
	$(BIN)/python -m compileall -q tools
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@
