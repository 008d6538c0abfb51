"""The optional learned layer: deterministic training from the packaged examples, what it adds to the rules,
what it must not add (negated or lawful clauses), and rules-only screening when it is off or unavailable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qingzhai.compliance.monitor import CATEGORIES, LexiconError, Screener, Violation, learned
from qingzhai.compliance.monitor import engine as engine_mod
from qingzhai.compliance.monitor.lexicon import DEFAULT_DATA_DIR

pytest.importorskip("sklearn")

TRAINING = DEFAULT_DATA_DIR / learned.TRAINING_DIRNAME
# Written for this test, not taken from any corpus: a new lending app pushed as the way to pay.
PARAPHRASE = "下载个新的借款软件，几分钟就能到账，先还我们"


@pytest.fixture(scope="module")
def on() -> Screener:
    return Screener(learned=True)


@pytest.fixture(scope="module")
def off() -> Screener:
    return Screener(learned=False)


def test_training_is_deterministic():
    examples, digest = learned.load_examples(TRAINING)
    assert len(examples) == 941
    abbr = Screener(learned=False).lexicon.variants.abbreviations
    texts = [PARAPHRASE, "我们不会联系您的家人", "You will go to jail tomorrow."]
    first = learned.LearnedModel(examples, abbreviations=abbr, digest=digest).probabilities(texts)
    second = learned.LearnedModel(examples, abbreviations=abbr, digest=digest).probabilities(texts)
    assert first == second
    assert len(first) == 3 and all(len(row) == len(CATEGORIES) for row in first)


def test_direct_scoring_equals_the_vectoriser(on):
    model = learned.model_for(TRAINING, on.lexicon.variants.abbreviations)
    assert model is not None
    texts = [PARAPHRASE, "不还钱就让法院把你抓起来", "we will call your boss", "", "你好"]
    fast = model.probabilities(texts)
    reference = model.reference_probabilities(texts)
    for row, ref in zip(fast, reference, strict=True):
        assert row == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_model_is_cached_per_training_files(on):
    assert on.learned is True
    abbr = on.lexicon.variants.abbreviations
    assert learned.model_for(TRAINING, abbr) is learned.model_for(TRAINING, abbr)


def test_a_paraphrase_the_rules_miss_is_caught(on, off):
    assert off.screen(PARAPHRASE) == []
    assert on.screen(PARAPHRASE) == [
        Violation("debt_trap", "model.debt_trap", (18, 22), "medium", "先还我们"),
    ]


def test_negated_or_lawful_clause_is_not_flagged():
    # threshold 0: the model would add debt_trap to anything; the rules' negation and lawful logic stops it
    eager = Screener(learned=True, learned_thresholds={"debt_trap": 0.0})
    assert eager.screen("我们不会让你下载新的借款软件来还我们的钱") == []
    assert eager.screen("提醒您谨防代还中介，下载新的借款软件来还钱风险很大") == []
    assert eager.screen("下载新的借款软件来还我们的钱") == [
        Violation("debt_trap", "model.debt_trap", (0, 14), "medium", "下载新的借款软件来还我们的钱"),
    ]


def test_lawful_sentences_stay_clean_with_the_layer_on(on):
    for text in ("我们不建议您借新的贷款来还这笔钱", "您可以申请分期，不需要再借钱", "我们不会联系您的家人"):
        assert [v.rule for v in on.screen(text) if v.rule.startswith("model.")] == []


def test_layer_off_is_rules_only(on, off):
    texts = [
        PARAPHRASE,
        "不还钱就让法院把你抓起来",
        "你去别的app上再借点，拆东墙补西墙嘛",
        "我们不会联系您的家人",
    ]
    for text in texts:
        rules = off.screen(text)
        assert all(not v.rule.startswith("model.") for v in rules)
        assert [v for v in on.screen(text) if not v.rule.startswith("model.")] == rules
    assert off.learned is False
    assert off.version == off.lexicon.version
    assert on.version != on.lexicon.version


def test_without_scikit_learn_the_engine_screens_with_rules(monkeypatch, off):
    monkeypatch.setattr(learned, "available", lambda: False)
    sc = Screener(learned=True)
    assert sc.learned is False
    assert sc.screen(PARAPHRASE) == []
    assert sc.screen("不还钱就让法院把你抓起来") == off.screen("不还钱就让法院把你抓起来")


def test_default_follows_the_module_setting(monkeypatch):
    monkeypatch.setattr(engine_mod, "LEARNED_DEFAULT", False)
    assert Screener().learned is False
    monkeypatch.setattr(engine_mod, "LEARNED_DEFAULT", True)
    assert Screener().learned is True


def _data_copy(tmp_path: Path) -> Path:
    for p in DEFAULT_DATA_DIR.glob("*.yaml"):
        shutil.copy(p, tmp_path / p.name)
    return tmp_path


def test_a_data_dir_without_training_files_is_rules_only(tmp_path):
    sc = Screener(_data_copy(tmp_path), learned=True)
    assert (sc.learned, sc.screen(PARAPHRASE)) == (False, [])


def test_added_examples_are_used_and_invalid_ones_rejected(tmp_path):
    data = _data_copy(tmp_path)
    (data / "training").mkdir()
    (data / "training" / "local.jsonl").write_text(
        '{"text": "先去网贷平台借一笔还我们", "labels": ["debt_trap"]}\n'
        '{"text": "请按时还款", "labels": []}\n',
        encoding="utf-8",
    )
    examples, _digest = learned.load_examples(data / "training")
    assert examples == [
        learned.Example("先去网贷平台借一笔还我们", frozenset({"debt_trap"})),
        learned.Example("请按时还款", frozenset()),
    ]
    (data / "training" / "local.jsonl").write_text(
        '{"text": "x", "labels": ["rudeness"]}\n', encoding="utf-8"
    )
    with pytest.raises(LexiconError) as err:
        learned.load_examples(data / "training")
    assert (err.value.file, err.value.entry, err.value.field) == ("local.jsonl", "line 1", "labels")
