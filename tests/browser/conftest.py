"""Browser fixtures (browser, page, artifacts) live in tests/conftest.py so all browser tests share one."""
