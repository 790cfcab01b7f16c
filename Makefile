# Set-up and checks. Needs only Python >= 3.11 on the PATH (override with PYTHON=...).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo serve test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "matcher needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[report]'
	touch $@

$(VENV)/.installed-web: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $(VENV)/.installed-web $@

# A coordinator's spreadsheet round (examples/), then a round of the Zwolle partner-loss pilot
# generated from its scenario (scenarios/zwolle-partnerverlies.toml).
demo: $(VENV)/.installed
	$(BIN)/matcher match examples/clients.csv examples/volunteers.csv --out demo-out --date 2026-11-23 \
		--report demo-out/report.html
	@echo "Open demo-out/report.html in a browser for the round report (Dutch; --lang en for English)."
	@echo
	$(BIN)/matcher scenario run zwolle-partnerverlies --date 2026-11-23
	@echo
	@echo "make serve: the weekly round of examples/ in your browser (matcher serve)."

# The web app on a demo ledger of examples/ (made once in demo-out/demo.db; delete it to start over).
DEMO_DB := demo-out/demo.db
serve: $(VENV)/.installed-web
	@mkdir -p demo-out
	@test -f $(DEMO_DB) || ( $(BIN)/matcher db init --db $(DEMO_DB) \
		&& $(BIN)/matcher import volunteers examples/volunteers.csv --db $(DEMO_DB) \
		&& $(BIN)/matcher import clients examples/clients.csv --db $(DEMO_DB) --date 2026-11-23 )
	$(BIN)/matcher serve --db $(DEMO_DB)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check matcher tests benchmarks examples
	$(BIN)/ruff format --check matcher tests benchmarks examples
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy matcher

unit: $(VENV)/.installed-test
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(VENV)/.installed-test
	cd benchmarks && ../$(BIN)/python speed.py --sizes city,dense,region,national
	cd benchmarks && ../$(BIN)/python rounds.py
	cd benchmarks && ../$(BIN)/python policies.py
	cd benchmarks && ../$(BIN)/python report.py
	cd benchmarks && ../$(BIN)/python workbook.py
	cd benchmarks && ../$(BIN)/python web.py

clean:
	rm -rf $(VENV) demo-out out build dist *.egg-info .mypy_cache .pytest_cache .ruff_cache
