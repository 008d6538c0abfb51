"""Versioned scripts: packaged ones load; faults are reported in Chinese and English, naming the node."""

import pytest
import yaml

from qingzhai.contact.dialog.script import (
    SCRIPTS_DIR,
    ScriptError,
    available_scripts,
    load_script,
    parse_script,
)

V1 = (SCRIPTS_DIR / "standard_v1.yaml").read_text(encoding="utf-8")


def test_packaged_scripts_load():
    assert available_scripts() == ["standard_v1", "standard_v2"]
    v1, v2 = load_script("standard_v1"), load_script("standard_v2")
    assert (v1.key, v2.key) == ("standard_v1", "standard_v2")
    assert v1.digest != v2.digest and len(v1.digest) == 64
    assert v1.nodes["greeting"].on["identity_confirmed"] == "verify"  # a bare `on` key is not YAML true
    assert v1.emotion_branches == {"anxious": "soothing", "angry": "deescalation", "sad": "hardship"}
    assert (
        v1.branches["deescalation"]["again"] == "close_angry"
        and v2.branches["deescalation"]["again"] == "handover"
    )
    for script in (v1, v2):
        for node in script.nodes.values():
            assert node.say["standard"].zh and node.say["standard"].en


def test_load_by_path(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(V1.replace("version: 1", "version: 7"), encoding="utf-8")
    assert load_script(path).key == "standard_v7"
    assert load_script(str(path)).path == str(path)


def test_unknown_script():
    with pytest.raises(ScriptError) as exc:
        load_script("standard_v9")
    assert exc.value.code == "script_not_found"
    assert "standard_v1" in exc.value.zh and "standard_v1" in exc.value.en


def _broken(mutate) -> ScriptError:
    data = yaml.safe_load(V1)
    data["nodes"] = {k: dict(v) for k, v in data["nodes"].items()}
    for node in data["nodes"].values():
        if True in node:
            node["on"] = node.pop(True)
    mutate(data)
    with pytest.raises(ScriptError) as exc:
        parse_script(yaml.safe_dump(data, allow_unicode=True))
    return exc.value


def test_missing_target_names_the_node():
    err = _broken(lambda d: d["nodes"]["reminder"]["on"].update({"deny": "nowhere"}))
    assert (err.code, err.field) == ("unknown_target", "nodes.reminder.on.deny")
    assert "nowhere" in err.zh and "不存在" in err.zh and "missing node nowhere" in err.en


def test_debt_before_verification_is_refused():
    def leak(d):
        d["nodes"]["greeting"]["say"]["standard"]["zh"] = "您好{name}，您欠款{amount}。"

    err = _broken(leak)
    assert (err.code, err.field) == ("disclosure_before_verification", "nodes.greeting.say.standard")
    assert "amount" in err.en and "核实身份前" in err.zh


def test_every_fault_is_listed():
    def several(d):
        d["nodes"]["dispute"]["end"] = "maybe"
        d["nodes"]["hardship"]["say"]["standard"] = {"zh": "听到{mood}"}
        d["nodes"]["verify"]["on"]["shrug"] = "reminder"
        d["start"] = "hello"

    err = _broken(several)
    codes = {p[0]: p[3] for p in err.problems}
    assert codes == {
        "node_bad_outcome": "nodes.dispute.end",
        "line_missing_en": "nodes.hardship.say.standard",
        "node_unknown_intent": "nodes.verify.on.shrug",
        "script_bad_start": "start",
    }
    assert err.as_dicts()[0]["zh"] and err.as_dicts()[0]["en"]
    assert "另有3处" in str(err)


def test_unknown_variable_and_branch():
    def bad(d):
        d["nodes"]["reminder"]["say"]["standard"]["zh"] = "待还{amout}"
        d["nodes"]["reminder"]["say"]["cheerful"] = {"zh": "好", "en": "ok"}

    err = _broken(bad)
    assert {p[0] for p in err.problems} == {"node_unknown_branch", "line_unknown_variable"}
    assert any("{amout}" in p[1] for p in err.problems)


def test_not_yaml_and_not_a_mapping():
    with pytest.raises(ScriptError) as exc:
        parse_script("nodes: [unclosed")
    assert exc.value.code == "yaml_invalid"
    with pytest.raises(ScriptError) as exc:
        parse_script("- a\n- b\n")
    assert exc.value.code == "script_invalid"


def test_settings_required():
    err = _broken(lambda d: d["settings"].pop("handover_node"))
    assert (err.code, err.field) == ("setting_missing", "settings.handover_node")


def test_dead_end_node():
    def dead(d):
        d["nodes"]["lonely"] = {"phase": "closing", "say": {"standard": {"zh": "嗯", "en": "hm"}}}

    err = _broken(dead)
    assert (err.code, err.field) == ("node_dead_end", "nodes.lonely")
