# milieusim: `make run` runs the default ward, `make app` serves the live ward, `make test` runs the suite.
# Each target creates .venv with a Python >= 3.12 (scripts/find-python) when needed.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.stamp-installed
EXTRAS := test,parquet,sweep,dask,app,browser,notebook,calibrate
OUT    ?= out/default

.PHONY: run app test bench lint docs validate trace baseline clean venv study studies bench-sweep bench-calibration bench-ab

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		py=$$(scripts/find-python) || exit 1; \
		echo "creating $(VENV) with $$py"; \
		rm -rf $(VENV); "$$py" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	@touch $@

run: $(STAMP)
	$(VENV)/bin/milieusim run --out $(OUT)
	$(VENV)/bin/milieusim layout show corridor --overlay visibility -o $(OUT)/plan.png
	@echo "outputs are in $(OUT)/ (summary.json, daily/events/stays tables, figures, plan.png)"

app: $(STAMP)
	$(VENV)/bin/milieusim app $(APP_ARGS)

# The browser tests need Debian's chromium: scripts/need-chromium installs it when missing.
test: $(STAMP)
	scripts/need-chromium
	$(PY) -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/run.py

bench-sweep: $(STAMP)
	$(PY) benchmarks/sweep.py

REV ?= main
bench-ab: $(STAMP)
	$(PY) benchmarks/ab.py $(REV)

bench-calibration: $(STAMP)
	$(PY) benchmarks/calibration_recovery.py

lint: $(STAMP)
	$(VENV)/bin/ruff check milieusim tests benchmarks scripts experiments
	$(VENV)/bin/ruff format --check milieusim tests benchmarks

docs: $(STAMP)
	$(PY) scripts/make_docs.py

STUDIES := power_respect family culture_change furniture staffing sensitivity

study: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make study NAME=<$(shell echo $(STUDIES) | tr ' ' '|')>"; exit 2; }
	experiments/run $(NAME) $(SWEEP_ARGS)

studies: $(STAMP)
	for s in $(STUDIES); do experiments/run $$s $(SWEEP_ARGS) || exit 1; done

validate: $(STAMP)
	$(PY) scripts/validate.py

# docs/TRACE.md's model analysis (about 20 CPU-minutes); run `make study NAME=sensitivity` first for its screening.
trace: $(STAMP)
	$(PY) scripts/trace.py $(TRACE_ARGS)

baseline: $(STAMP)
	$(PY) scripts/refresh_baseline.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
