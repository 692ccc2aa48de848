# CareBridge. Two commands for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test test-weblate weblate-down lint typecheck chromium clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "CareBridge needs Python 3.11 or newer"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

## serve: build the bilingual site and serve it at http://127.0.0.1:8000 (English /, Chinese /zh/)
serve: $(STAMP)
	$(BIN)/carebridge serve --dev-addr 127.0.0.1:8000

## site: build the bilingual site into site/
site: $(STAMP)
	$(BIN)/carebridge build --strict

## chromium: make sure Debian's chromium is there for the browser tests
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: run 'sudo apt-get install chromium gettext fonts-wqy-microhei'"; \
	    echo "(Playwright cannot download its own browsers here; the tests use /usr/bin/chromium.)"; \
	  fi; }
	@command -v msgfmt >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null || true; }

## test: run the whole test suite, browser tests included
test: $(STAMP) chromium
	$(BIN)/python -m pytest

## test-weblate: CareBridge's catalogs through a live Weblate 2026.10.1 on 127.0.0.1 and back
## (PostgreSQL, git daemon and Weblate stood up by weblate/standup.sh, cached in ~/.cache/carebridge-weblate)
test-weblate: $(STAMP)
	CAREBRIDGE_WEBLATE=1 timeout 2700 $(BIN)/python -m pytest -m weblate -p no:cacheprovider -s tests/weblate

## weblate-down: stop a Weblate left running by `weblate/standup.sh up`
weblate-down:
	bash weblate/standup.sh down

lint: $(STAMP)
	$(BIN)/ruff check tools tests bench
	$(BIN)/mypy

clean:
	rm -rf site .pytest_cache test-artifacts
