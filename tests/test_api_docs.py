"""docs/api.md is what tools/gen_api_docs.py writes from the current docstrings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_api_reference_is_up_to_date():
    spec = importlib.util.spec_from_file_location("gen_api_docs", REPO / "tools" / "gen_api_docs.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = generator.render()
    assert "## `primes.count(a, axis=None, *, keepdims=False, mode='pthreads', threads=None, method='auto')`" in expected
    assert "## `primes.is_prime(a, out=None, *, mode='pthreads', threads=None, method='auto')`" in expected
    current = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == expected, "docs/api.md is stale: run `python tools/gen_api_docs.py`"
