"""docs/profiling-sources.md documents every record kind and field, and its examples parse cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qingzhai.profiling.records import aliases
from qingzhai.profiling.records.parse import parse_records
from qingzhai.profiling.records.schema import KINDS

DOC = Path(__file__).resolve().parents[3] / "docs" / "profiling-sources.md"


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    out = {}
    for part in text.split("\n## ")[1:]:
        m = re.search(r"\(`(\w+)`\)\n", part)
        if m:
            out[m.group(1)] = part
    return out


def test_every_kind_has_a_section():
    assert sorted(_sections()) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_choice_and_alias_is_documented(kind):
    section = _sections()[kind]
    spec = KINDS[kind]
    for f in spec.fields:
        assert f"| `{f.name}` |" in section, f.name
        for choice in f.choices:
            assert f"`{choice}`" in section, (f.name, choice)
        for alias in aliases.COLUMNS[kind].get(f.name, ()):
            assert alias in section, (f.name, alias)
        required = re.search(rf"\| `{f.name}` \| [^|]+ \| (✱)? \|", section)
        assert required is not None and bool(required.group(1)) == f.required, f.name


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_examples_parse_without_errors(kind):
    section = _sections()[kind]
    blocks = dict(re.findall(r"```(csv|json)\n(.*?)\n```", section, flags=re.S))
    assert set(blocks) == {"csv", "json"}
    for lang, body in blocks.items():
        result = parse_records(kind, body.encode("utf-8"), f"example.{lang}")
        assert result.errors == []
        assert result.ignored == []
        assert len(result.records) == result.rows >= 1
