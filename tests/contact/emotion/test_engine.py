"""The classifier: results, determinism, the default instance and a plugged-in model."""

import pytest

from qingzhai.contact.emotion import EMOTIONS, Classifier, Emotion, EmotionModel, classify, default_classifier


def test_emotions_are_the_five_labels_in_order():
    assert EMOTIONS == ("anxious", "angry", "sad", "calm", "cooperative")


def test_result_has_label_score_all_scores_and_cues():
    found = classify("我很担心")
    assert found == Emotion(
        "anxious",
        0.7231,
        {"anxious": 0.7231, "angry": 0.0308, "sad": 0.0308, "calm": 0.1846, "cooperative": 0.0308},
        ("担心",),
    )
    assert found.as_dict()["emotion"] == "anxious"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("我不生气", "calm"),
        ("不担心", "calm"),
        ("嗯", "calm"),
        ("好的", "cooperative"),
        ("行吧", "cooperative"),
        ("我失业了", "sad"),
        ("孩子生病了", "sad"),
        ("别再打了！", "angry"),
        ("我会还的", "cooperative"),
        ("会不会上征信？", "anxious"),
    ],
)
def test_labels_of_typical_replies(text, label):
    assert classify(text).label == label


def test_patterns_name_themselves_in_cues():
    assert classify("好的，我明天就还").cues == ("好的", "就还", "约时还款")


def test_no_cue_reads_calm_with_the_prior():
    # calm prior 0.5 + smoothing 0.1, over 0.5 + 5 × 0.1
    assert (
        classify("")
        == classify("你好")
        == Emotion(
            "calm", 0.6, {"anxious": 0.1, "angry": 0.1, "sad": 0.1, "calm": 0.6, "cooperative": 0.1}, ()
        )
    )


def test_deterministic_and_scores_sum_to_one():
    texts = ["你们烦不烦啊！！", "我不是不想还，就是最近手头紧", "请问还欠多少？"]
    first = [classify(t) for t in texts]
    assert [Classifier().classify(t) for t in texts] == first
    for found in first:
        assert abs(sum(found.scores.values()) - 1) < 1e-3


def test_default_classifier_is_built_once():
    assert default_classifier() is default_classifier()


def test_refuses_non_text():
    with pytest.raises(TypeError):
        classify(None)  # type: ignore[arg-type]


class Fixed:
    def __init__(self, label: str) -> None:
        self.label = label

    def classify(self, text: str) -> Emotion:
        scores = {e: (1.0 if e == self.label else 0.0) for e in EMOTIONS}
        return Emotion(self.label, 1.0, scores, ("model",))


def test_a_model_can_be_plugged_in():
    assert isinstance(Fixed("sad"), EmotionModel)
    assert Classifier(model=Fixed("sad")).classify("好的") == Fixed("sad").classify("好的")


def test_a_model_can_be_blended_with_the_rules():
    rules = Classifier().classify("好的")
    # rules alone: (好的 1.5 + 0.1, calm prior 0.5 + 0.1, 0.1 each) over 2.5
    assert rules.scores == {"anxious": 0.04, "angry": 0.04, "sad": 0.04, "calm": 0.24, "cooperative": 0.64}
    blended = Classifier(model=Fixed("sad"), model_weight=0.25).classify("好的")
    assert blended.label == "cooperative"
    assert blended.scores["sad"] == 0.28  # 0.25 × 1 + 0.75 × 0.04
    assert blended.cues == (*rules.cues, "model")
    assert Classifier(model=Fixed("sad"), model_weight=0.75).classify("好的").label == "sad"


def test_bad_models_and_weights_are_refused():
    with pytest.raises(ValueError):
        Classifier(model_weight=1.5)
    with pytest.raises(ValueError):
        Classifier(model=Fixed("happy")).classify("x")
