# jichitai-cloud: `make report` and `make test` are the two commands (see README.md).
#
# The first run creates .venv from requirements.lock, installs the package editable,
# registers the Jupyter kernel `jichitai-cloud` inside .venv, copies the raw data
# from the datastore and builds data/processed/. Later runs skip the setup (a stamp
# file records it; changing the lock or pyproject.toml redoes it).

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.setup-complete
KERNEL := jichitai-cloud
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: setup data build report check test lab notebooks lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no python3.11 or python3 on PATH; install Python 3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "make: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); this project needs 3.11 (make PYTHON=/path/to/python3.11 ...)" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3.11 ($(KERNEL))"
	@# Build matplotlib's font cache now: in a notebook, its log line would be a stray output.
	$(BIN)/python -c "import matplotlib.font_manager"
	touch $(STAMP)

data: setup
	$(BIN)/jichitai-cloud data

build: data
	$(BIN)/jichitai-cloud build

report: build
	$(BIN)/jichitai-cloud report --scope national

# Unit tests only: inline data and the committed transcribed tables, no data/raw copies, no build (seconds).
check: setup
	$(BIN)/python -m pytest -m "not slow and not data" -p no:cacheprovider

test: build
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

# jupyter_lab_config.json offers only the project's kernel (the venv's native python3 hidden) and makes
# it the default for new notebooks; --allow-root only where the user is root (containers).
lab: build
	$(BIN)/jupyter lab --notebook-dir=. --config=jupyter_lab_config.json \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Re-execute the committed notebooks in place after a deliberate change of their outputs.
notebooks: build
	$(BIN)/jichitai-cloud refresh-notebooks

# Re-resolve the pins (pyproject.toml -> requirements.lock -> environment.yml). Needs network.
lock:
	@test -x .lock-tools/bin/uv || { $(PYTHON) -m venv .lock-tools && .lock-tools/bin/pip install --quiet uv==0.13.9; }
	.lock-tools/bin/uv pip compile pyproject.toml --python-version 3.11 --python-platform linux --no-header -o requirements.lock.new
	{ printf '%s\n' '# Exact pins for Python 3.11 on Linux, resolved from pyproject.toml by `make lock`' \
	  '# (uv pip compile pyproject.toml --python-version 3.11 --python-platform linux).' \
	  '# `make setup` installs exactly these; do not edit by hand.'; cat requirements.lock.new; } > requirements.lock
	rm -f requirements.lock.new
	$(PYTHON) tools/write_environment_yml.py

clean:
	rm -rf $(VENV) .lock-tools data/processed/builds data/processed/current data/processed/*.parquet \
	  data/processed/*.csv reports/national reports/assets
