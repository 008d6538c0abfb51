"""Loading of the signed-note / tlog-tiles vectors: the shared set in ../shared/vectors (skipped where absent)
and the subset copied under tests/data/evidence (always present), with the same schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"
LOCAL = Path(__file__).resolve().parents[1] / "data" / "evidence"
LOCAL_NAMES = {"signed-note.json": "signed-note-subset.json", "tlog-tiles.json": "tlog-tiles-subset.json"}


def _paths(name: str) -> list[tuple[str, Path]]:
    return [("local", LOCAL / LOCAL_NAMES[name]), ("shared", SHARED / name)]


def _missing(path: Path) -> Any:
    return pytest.mark.skip(reason=f"shared test vectors not present at {path}")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def files(name: str) -> list[Any]:
    """One pytest param per vector file: the loaded dict (local copy, then shared)."""
    params = []
    for source, path in _paths(name):
        if path.exists():
            params.append(pytest.param(load(path), id=source))
        else:
            params.append(pytest.param(None, id=source, marks=_missing(path)))
    return params


def items(name: str, key: str) -> list[Any]:
    """One pytest param per element of the list `key`, from both vector files."""
    params = []
    for source, path in _paths(name):
        if not path.exists():
            params.append(pytest.param(None, id=f"{source}-missing", marks=_missing(path)))
            continue
        for number, item in enumerate(load(path)[key]):
            label = item.get("id", item.get("index", item.get("tree_size", number)))
            params.append(pytest.param(item, id=f"{source}-{label}"))
    return params
