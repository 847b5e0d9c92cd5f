# Two commands on a fresh machine: `make run` (the app) and `make test` (the tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Where the app listens: this machine only, unless told otherwise (`make run QC_HOST=0.0.0.0` to host it).
QC_HOST ?= 127.0.0.1
# Two malloc arenas: each session runs its scripts in a thread of its own, and glibc's default of up to 8 arenas per
# core kept freed memory in each of them (server RSS grew round after round under load).
MALLOC_ARENA_MAX ?= 2

.PHONY: run test check setup index eval bench clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Checks the NOC data (downloads the official files when none are found), builds the index once, starts the app.
run: $(VENV)/installed
	$(PY) -m lib setup --index || ($(PY) -m lib setup --download --index)
	MALLOC_ARENA_MAX=$(MALLOC_ARENA_MAX) $(PY) -m streamlit run app.py --server.address $(QC_HOST) --server.port $(PORT)

# The adapted model and the index are built first, with their progress bar and times, so that no test waits on
# them inside a timeout (skipped with a message when the NOC data is missing: the tests then say why).
test: $(VENV)/installed
	-$(PY) -m lib setup --index
	$(PY) -m pytest -q
	$(PY) -m ruff check .

# The fast tier in seconds, on a fresh clone too: hand-written data and hashing encoders, no NOC data, no model,
# no index (tests marked full_data or browser are left out; see tests/conftest.py), then the linter.
check: $(VENV)/installed
	$(PY) -m pytest -q -m "not full_data and not browser"
	$(PY) -m ruff check .

setup: $(VENV)/installed
	$(PY) -m lib setup --download --index

eval: $(VENV)/installed
	$(PY) -m lib evaluate --heldout 150

bench: $(VENV)/installed
	$(PY) scripts/bench_matching.py

clean:
	rm -rf data/cache models/index
