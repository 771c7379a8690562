# The two commands of this project (see README):
#   make        set up a virtual environment, check the policy and build the site into site/
#   make test   install what the tests need and run them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test
run: $(VENV)/.installed pdf-libraries
	$(BIN)/policy check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: $(VENV)/.installed-test chromium pdf-libraries
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium; install it when it is missing (CI runs as root).
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The site's PDFs are rendered by WeasyPrint, which loads Debian's Pango and finds fonts
# through fontconfig; install what is missing (CI runs as root).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core
.PHONY: pdf-libraries
pdf-libraries:
	@missing=$$(for package in $(PDF_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$package 2>/dev/null | grep -q '^install ok installed$$' \
	    || echo $$package; done); \
	[ -z "$$missing" ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; }

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
