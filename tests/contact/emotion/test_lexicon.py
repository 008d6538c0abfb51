"""The lexicon: DUTIR and HowNet read from the installed package, the category mapping, the domain file."""

import pickle
from datetime import date

import pytest

from qingzhai.contact.emotion import Classifier, LexiconError, default_lexicon
from qingzhai.contact.emotion import lexicon as lexicon_module
from qingzhai.contact.emotion.lexicon import DOMAIN_FILE, Cue, load_domain, load_dutir, load_hownet


def test_dutir_is_read_from_the_installed_package():
    dutir = load_dutir()
    assert {cat: len(words) for cat, words in dutir.items()} == {
        "乐": 1964, "好": 11070, "怒": 389, "哀": 2311, "惧": 1176, "恶": 10252, "惊": 226,
    }  # fmt: skip
    # the package files worry under disgust: the mapping has to move it
    assert "担心" in dutir["恶"] and "焦虑" in dutir["恶"] and "害怕" in dutir["惧"]
    assert load_hownet("deny")[:3] == ["不", "不可", "不是"]


def test_dutir_categories_map_to_our_emotions():
    cues = default_lexicon().cues
    assert cues["愤怒"] == Cue("angry", 1.0, "calm", "dutir:怒")
    assert cues["发愁"] == Cue("anxious", 1.0, "calm", "dutir:恶")  # override of 恶
    assert cues["对不起"] == Cue("cooperative", 1.0, "angry", "dutir:哀")  # an apology, not grief
    assert cues["惊讶"] == Cue("anxious", 0.3, "calm", "dutir:惊")
    assert cues["心烦"].emotion == "angry"
    assert "原来" not in cues and "仲裁" not in cues  # ignored as noise
    assert not [w for w, c in cues.items() if c.source != "domain" and len(w) < 2]


def test_domain_phrases_win_over_dutir():
    cues = default_lexicon().cues
    assert cues["担心"] == Cue("anxious", 1.5, "calm", "domain")
    assert cues["征信"] == Cue("anxious", 1.2, "anxious", "domain")  # 不会上征信吧 is still worry
    assert cues["不还"] == Cue("angry", 1.8, "cooperative", "domain")


def test_pickles_with_anything_but_sets_are_refused(tmp_path, monkeypatch):
    pkg = tmp_path / "fakelex"
    (pkg / "dictionary" / "hownet").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "dictionary" / "hownet" / "deny.pkl").write_bytes(pickle.dumps([date(2024, 1, 1)]))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(lexicon_module, "LEXICON_PACKAGE", "fakelex")
    with pytest.raises(LexiconError) as err:
        load_hownet("deny")
    assert err.value.code == "lexicon_unreadable"


def test_a_missing_package_is_a_bilingual_error(monkeypatch):
    monkeypatch.setattr(lexicon_module, "LEXICON_PACKAGE", "no_such_lexicon_package")
    with pytest.raises(LexiconError) as err:
        load_dutir()
    assert (err.value.code, err.value.field) == ("lexicon_missing", "lexicon")
    assert "未安装" in err.value.zh and "not installed" in err.value.en


def test_the_team_extends_the_domain_file(tmp_path):
    text = DOMAIN_FILE.read_text(encoding="utf-8").replace("  sad:\n", "  sad:\n    天塌了: 2.5\n", 1)
    extended = tmp_path / "domain.yaml"
    extended.write_text(text, encoding="utf-8")
    assert Classifier().classify("我家天塌了").label == "calm"
    found = Classifier(lexicon=default_lexicon(extended)).classify("我家天塌了")
    assert (found.label, found.cues) == ("sad", ("天塌了",))


def test_bad_domain_files_are_refused(tmp_path):
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("cues:\n  happy:\n    开心: 1\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        default_lexicon(wrong)
    assert err.value.code == "domain_lexicon_invalid"
    broken = tmp_path / "broken.yaml"
    broken.write_text("cues: [", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_domain(broken)
    assert err.value.code == "domain_lexicon_unreadable"
    with pytest.raises(LexiconError) as err:
        load_domain(tmp_path / "absent.yaml")
    assert err.value.code == "domain_lexicon_unreadable"
