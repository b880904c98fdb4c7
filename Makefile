# One command per chore. `make run` and `make test` work on a fresh machine (they build .venv first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# Only this machine can reach `make run` unless you say otherwise: HOST=0.0.0.0 make run (README, "Serve to a network").
HOST   ?= 127.0.0.1

.PHONY: run api worker beat test lint format messages bench bench-5m bench-report clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed  ## the app on the embedded defaults (SQLite, in-process worker)
	STREAMLIT_SERVER_MAX_UPLOAD_SIZE=$${MAX_UPLOAD_MB:-200} \
	  $(BIN)/streamlit run serve.py --server.headless true \
	  --server.address $(HOST) --server.port $(PORT)

api: $(BIN)/.installed  ## the REST API on API_PORT (default 8000); docs at /docs
	$(BIN)/python -m api

worker: $(BIN)/.installed  ## a Celery worker (needs CELERY_BROKER_URL)
	$(BIN)/celery -A worker.celery_app worker --loglevel info --concurrency 2

beat: $(BIN)/.installed  ## periodic recovery of files a crash left behind
	mkdir -p $${STORAGE_DIR:-./data}
	$(BIN)/celery -A worker.celery_app beat --loglevel info --schedule $${STORAGE_DIR:-./data}/celerybeat-schedule

test: $(BIN)/.installed  ## the whole test suite
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages: $(BIN)/.installed  ## re-extract message ids into core/locale/*/messages.po; lists what needs translating
	$(BIN)/python -m core.i18n_extract

bench: $(BIN)/.installed  ## 1M rows: our upload-to-ready against psql \copy (needs PostgreSQL)
	$(BIN)/python bench/ingest_bench.py --rows 1000000

bench-5m: $(BIN)/.installed
	$(BIN)/python bench/ingest_bench.py --rows 5000000

bench-report: $(BIN)/.installed  ## PDF and CSV build times for a 1M-row file (needs PostgreSQL)
	$(BIN)/python bench/report_speed.py

clean:
	rm -rf $(VENV) .pytest_cache
