# QA Studio: two commands do all set-up on a fresh machine.
#   make run   - create .venv, install, load the demo into the default SQLite file, start the app
#   make test  - create/update .venv, install .[dev] and Debian packages the tests need, run all
#                tests, then the date-sensitive ones again with the clock a year ahead

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
PYTEST_ARGS ?=

.PHONY: run test install system-deps lint format eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Debian's chromium drives the end-to-end browser tests (no browser download from the net).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; \
	fi

run: install
	$(BIN)/qa-studio db upgrade
	$(BIN)/qa-studio demo --if-empty
	$(BIN)/qa-studio serve --port $(PORT)

# The date-sensitive modules again with the clock a year ahead (tests/conftest.py moves it
# with time-machine): a test that pins a moment and compares it with the real clock fails
# today instead of on the day it would have started failing. Picked by grep for dates,
# sessions, lockouts, reviews, disputes, sampling, overview, calibration and the demo season.
CLOCK_SHIFT_DAYS ?= 365
CLOCK_SHIFTED_TESTS ?= tests/test_sign_in_sessions.py tests/test_auth.py \
	tests/test_auth_lockout.py tests/test_session_revalidation.py tests/test_users_service.py \
	tests/test_reviews_service.py tests/test_disputes.py tests/test_sampling.py \
	tests/test_overview_service.py tests/test_calibration_service.py tests/test_stats_trend.py \
	tests/test_clock_injection.py tests/test_sampling_plans.py tests/test_sampling_schedule.py \
	tests/test_reviews_goals.py tests/test_sampling_simulation.py tests/test_ui_sampling.py \
	tests/test_demo_reviews.py::test_season_is_dated_by_the_corpus_not_by_the_clock

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)
	QA_STUDIO_CLOCK_SHIFT_DAYS=$(CLOCK_SHIFT_DAYS) $(BIN)/python -m pytest -n 2 --dist loadfile \
		-q $(CLOCK_SHIFTED_TESTS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .

eval: install
	$(BIN)/qa-studio eval

bench: install
	$(BIN)/qa-studio bench import
	$(BIN)/qa-studio bench scoring
	$(BIN)/qa-studio bench signin

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
