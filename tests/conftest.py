"""Shared test helpers: paths of the project's folders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch):
    """Kits carry no date unless a test asks for one."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
