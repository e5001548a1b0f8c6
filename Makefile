# tongket — make help lists the targets. Only Python 3.11 is needed: targets create .venv themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?= params/tong_ket_2021.yaml
JOBS ?=

.PHONY: help demo test test-fast wheel-check lint bench bench-batch bench-collect lab dashboard sample templates check clean

help: ## list the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z-]+:.*## /{printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# One environment for the batch, the tests and JupyterLab (jsonschema is pinned below the release
# whose format checker would slow every papermill start: see pyproject.toml). Its python3 kernel has the kit.
$(STAMP): pyproject.toml constraints.txt tools/lab_overrides.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (tongket)" >/dev/null
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp tools/lab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

demo: $(STAMP) ## set up, then run the whole review cycle on the sample data into outputs/
	$(BIN)/tongket run $(PARAMS) $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP) ## set up, then run every test (unit, integration, notebooks, JupyterLab in a browser)
	$(BIN)/python -m pytest -n 2 --dist loadgroup tests
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks

test-fast: $(STAMP) ## unit tests only (no papermill batch, no LibreOffice)
	$(BIN)/python -m pytest -m "not slow" tests

bench: $(STAMP) ## benchmark: assess 100,000 branches × 5 years, vectorised against polars and a per-row loop
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python benchmarks/assess_benchmark.py --json outputs/assess_benchmark.json
	$(BIN)/python benchmarks/assess_benchmark.py --fail-heavy

bench-batch: $(STAMP) ## benchmark: the district batch at 20, 170, 1,000 districts, engine against engine
	$(BIN)/python benchmarks/batch_benchmark.py $(if $(SIZES),--sizes $(SIZES))

bench-collect: $(STAMP) ## benchmark: tongket collect on the sample's 81 returned forms, typed together against one by one
	$(BIN)/python benchmarks/collect_benchmark.py $(if $(DISTRICTS),--districts $(DISTRICTS))

wheel-check: $(STAMP) ## build the wheel, install it in a fresh venv outside the checkout, run the sample cycle in a new workspace
	bash tools/wheel_check.sh

lint: $(STAMP) ## lint the code: ruff, mypy, the pipeline's import layers (all configured in pyproject.toml)
	$(BIN)/ruff check lib tests tools benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# The analyst works in a copy under outputs/ (refreshed when the kit's notebook is newer): what
# JupyterLab saves, outputs included, never lands in the committed notebook.
lab: $(STAMP) ## set up, check the widgets, open the cycle workbook in JupyterLab
	@$(BIN)/python -m tongket.lab.labcheck
	@mkdir -p outputs/so_tay && cp -u notebooks/so_tay_danh_gia.ipynb outputs/so_tay/
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ROOT_FLAG) outputs/so_tay/so_tay_danh_gia.ipynb

dashboard: $(STAMP) ## the leaders' dashboard (Voilà, no code shown) on http://localhost:8866
	@$(BIN)/python -m tongket.lab.labcheck
	$(BIN)/voila notebooks/kham_pha.ipynb --port=8866 $(if $(NO_BROWSER),--no-browser)

sample: $(STAMP) ## regenerate the sample workbooks in data/sample/ (seeded; before and after the 2025 reform)
	$(BIN)/python -m tongket.intake.sample data/sample/tinh_mau.xlsx
	$(BIN)/python -m tongket.intake.sample data/sample/tinh_mau_sau_sap_xep.xlsx --sau-sap-xep

templates: $(STAMP) ## rebuild the Word templates and their field list (templates/README.md)
	$(BIN)/python tools/build_templates.py
	$(BIN)/tongket templates list --out templates/README.md
	$(BIN)/tongket templates check

check: $(STAMP) ## check the sample workbook
	$(BIN)/tongket check data/sample/tinh_mau.xlsx

clean: ## remove what runs generated under outputs/; keeps .venv, the analyst's notebook (outputs/so_tay) and uploaded workbooks (outputs/tai_len)
	find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name so_tay ! -name tai_len -exec rm -rf {} +
