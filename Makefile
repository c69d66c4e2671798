# jichitai-cloud: `make report` and `make test` are the two commands (see README.md).
#
# The first run creates .venv from requirements.lock, installs the package editable,
# registers the Jupyter kernel `jichitai-cloud` inside .venv (tools/install_kernel.py), copies the raw data
# from the datastore and builds data/processed/. Later runs skip the setup (a stamp
# file records it; changing the lock or pyproject.toml, or the Python version, redoes it).

# The supported Python versions (pyproject.toml's requires-python; tests/test_environment.py keeps them in step).
PYTHONS := 3.11 3.12 3.13
# The environment: .venv, or .venv-<anything> (.ci/run checks other versions in .venv-3.12, .venv-3.13).
VENV    ?= .venv
# The interpreter: PYTHON=... if given (a bare pythonX.Y that is a pyenv shim of a version not selected is
# looked up in pyenv); otherwise the one $(VENV) was made with, while it is supported; otherwise the first
# of python3.11, python3.12, python3.13 that runs (on PATH, or installed with pyenv). tools/find_python.sh.
ifeq ($(origin PYTHON),undefined)
PYTHON  := $(shell sh tools/find_python.sh --venv $(VENV) $(PYTHONS))
else
override PYTHON := $(shell sh tools/find_python.sh --resolve '$(PYTHON)')
endif
PYVER   := $(if $(PYTHON),$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null))
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.setup-complete-$(PYVER)
# The project's kernel, registered in $(VENV) with the numeric libraries on one thread (tools/install_kernel.py):
# registered again when that tool or ONE_THREAD (io/processes.py) changes, so an existing .venv gets it too.
KERNELSPEC := $(VENV)/share/jupyter/kernels/jichitai-cloud/kernel.json
PIP     := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: setup data build report check test lab notebooks lock clean

setup: $(STAMP) $(KERNELSPEC)

# requirements.lock is one lock for every supported Python (markers select); wheels only, so a version
# without a wheel for this Python fails at once with its name instead of compiling.
$(STAMP): requirements.lock pyproject.toml
	@case "$(VENV)" in .venv|.venv-*) ;; *) echo "make: VENV must be .venv or .venv-<name> (got '$(VENV)'): setup deletes and recreates it" >&2; exit 1;; esac
	@test -n "$(PYTHON)" || { echo "make: no Python $(PYTHONS) found (python3.11, python3.12, python3.13 on PATH, or pyenv); install one, or make PYTHON=/path/to/python3.X ..." >&2; exit 1; }
	@case " $(PYTHONS) " in *" $(PYVER) "*) ;; *) \
	  echo "make: $(PYTHON) is $(if $(PYVER),Python $(PYVER),not a Python that runs); this project supports Python $(PYTHONS) (make PYTHON=/path/to/python3.X ...)" >&2; exit 1;; esac
	@echo "make: setting up $(VENV) with Python $(PYVER) ($(PYTHON))"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --only-binary :all: -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	$(BIN)/python tools/install_kernel.py
	@# Build matplotlib's font cache now: in a notebook, its log line would be a stray output.
	$(BIN)/python -c "import matplotlib.font_manager"
	touch $(STAMP)

$(KERNELSPEC): tools/install_kernel.py lib/jichitai_cloud/io/processes.py | $(STAMP)
	$(BIN)/python tools/install_kernel.py

data: setup
	$(BIN)/jichitai-cloud data

# The library compiled ahead (its .pyc in lib/**/__pycache__/, git-ignored): every process a build, a report run
# or the tests start (kernels, workers, the command line) reads it instead of compiling it again, also where
# PYTHONDONTWRITEBYTECODE is set (as in many containers), which keeps Python from saving what it compiles.
# For the same reason pytest runs without it: its rewritten test modules are then cached (tests/__pycache__/,
# git-ignored), 2 s less for each of its processes.
COMPILE := $(BIN)/python -m compileall -q lib
PYTEST  := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

build: data
	$(COMPILE)
	$(BIN)/jichitai-cloud build

# build: nothing to do when the current build was made from the same inputs (it is verified and reused).
report: build
	$(BIN)/jichitai-cloud report --scope national

# Unit tests only: inline data and the committed transcribed tables, no data/raw copies, no build (seconds).
check: setup
	$(PYTEST) -m "not slow and not data" -p no:cacheprovider -p no:nbval

# nbval over the committed notebooks only (tools/tracked_notebooks.py: those git tracks), so a scratch
# notebook saved in notebooks/ changes no test. Both on TEST_WORKERS processes (pytest-xdist): every
# test works on its own copies or reads data/processed under its shared lock. The tests are handed out
# one at a time to whichever process is free (--dist load --maxschedchunk 1), the end-to-end ones first,
# then the other data tests (tests/conftest.py), so no process is left finishing a long test alone; nbval
# keeps each notebook's cells on one process, in order (--dist loadfile); -p tests.light_imports keeps a
# slow import out of its processes (see that file).
TEST_WORKERS ?= 2
# The tests and the committed notebooks' outputs are of the simulated survey: `make test` builds with it for this
# build only (the survey in use, `jichitai-cloud survey use`, stays chosen; `make report` rebuilds with it).
test: data
	$(COMPILE)
	$(BIN)/jichitai-cloud build --simulated
	$(PYTEST) -n $(TEST_WORKERS) --dist load --maxschedchunk 1 -p no:nbval
	$(BIN)/python tools/tracked_notebooks.py -- \
	  $(BIN)/python -m pytest -p tests.light_imports --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
	  -n $(TEST_WORKERS) --dist loadfile

# The build before it has nothing to do when nothing changed, and then only reads: it runs during a report batch.
# jupyter_lab_config.json offers only the project's kernel (the venv's native python3 hidden), makes it
# the default for new notebooks and opens the file browser in work/ (git-ignored scratch notebooks; the
# whole project stays browsable); --allow-root only where the user is root (containers).
lab: build
	@mkdir -p work
	$(BIN)/jupyter lab --notebook-dir=. --config=jupyter_lab_config.json \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Re-execute the committed notebooks in place after a deliberate change of their outputs.
notebooks: build
	$(BIN)/python tools/tracked_notebooks.py -- $(BIN)/jichitai-cloud refresh-notebooks

# Re-resolve the pins (pyproject.toml -> requirements.lock -> environment.yml). Needs network.
# The current pins are the resolver's preferences, so only what must change changes (a new or changed
# requirement); UPGRADE=1 re-resolves every pin to the newest that fits.
lock:
	@test -x .lock-tools/bin/uv || { $(PYTHON) -m venv .lock-tools && .lock-tools/bin/pip install --quiet uv==0.13.9; }
	cp requirements.lock requirements.lock.new
	.lock-tools/bin/uv pip compile pyproject.toml --universal --only-binary :all: --no-header \
	  $(if $(UPGRADE),--upgrade) -o requirements.lock.new
	{ printf '%s\n' '# Exact pins for Python 3.11, 3.12 and 3.13, resolved from pyproject.toml by `make lock`' \
	  '# (uv pip compile pyproject.toml --universal --only-binary :all:): one lock for every supported Python' \
	  '# and platform; a pin with a marker (; python_full_version == ...) applies only where the marker holds.' \
	  '# `make setup` installs exactly these; do not edit by hand.'; cat requirements.lock.new; } > requirements.lock
	rm -f requirements.lock.new
	$(PYTHON) tools/write_environment_yml.py

clean:
	rm -rf .venv .venv-* .lock-tools data/processed/builds data/processed/current data/processed/cache data/processed/*.parquet \
	  data/processed/*.csv reports/national reports/assets
