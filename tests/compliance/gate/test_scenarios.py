"""Every scenario file under tests/data/compliance/scenarios carries its expected decisions; run them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingzhai.compliance.gate import load_scenario, run_scenario

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "data" / "compliance" / "scenarios"
SCENARIOS = sorted(SCENARIO_DIR.glob("*.json"))


def test_scenario_directory_is_populated():
    assert len(SCENARIOS) == 41


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path):
    data = load_scenario(path)
    result = run_scenario(data)
    decisions = {d["id"]: d for d in result["decisions"]}
    expected = {e["id"]: e for e in data["expect"]}
    assert sorted(decisions) == sorted(expected), "every contact needs an expectation"
    for cid, want in expected.items():
        got = decisions[cid]
        actual = {"allowed": got["allowed"], "rules": [f"{r['rule']}:{r['effect']}" for r in got["rules"]]}
        wanted = {"allowed": want["allowed"], "rules": want["rules"]}
        for optional in ("route", "requirements", "pack_version"):
            if optional in want:
                actual[optional] = got[optional]
                wanted[optional] = want[optional]
        assert actual == wanted, f"contact {cid}"
    n_allowed = sum(1 for e in data["expect"] if e["allowed"])
    assert result["summary"] == {"allowed": n_allowed, "denied": len(data["expect"]) - n_allowed}
    assert result["pack"] == data["pack"]
