.PHONY: demo test lint format

demo:  ## Install and serve the demo site at http://127.0.0.1:8000
	scripts/demo

test:  ## Install test tools, lint and run the whole suite
	scripts/test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check src conftest.py

format:
	.venv/bin/ruff check --fix src conftest.py
	.venv/bin/ruff format src conftest.py
