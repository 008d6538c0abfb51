from __future__ import annotations

import hashlib
import io
import shutil
import wave
from datetime import UTC, datetime

import pytest

from qingzhai.contact.channels import ChannelError, Message, channel_for
from qingzhai.contact.channels.voice import (
    ASR,
    TTS,
    EspeakTTS,
    LoopbackTelephony,
    NullTTS,
    Telephony,
    TextASR,
    VoiceChannel,
    wav_bytes,
)

NOTICE = "您好，这里是清债。您的账款已逾期，请尽快还款。"


def _wav(data: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed (apt-get install espeak-ng)"
)
def test_espeak_speaks_mandarin_to_a_wav() -> None:
    spoken = EspeakTTS().synthesize(NOTICE)
    channels, width, rate, frames = _wav(spoken.data)
    assert (channels, width, rate, spoken.media_type, spoken.voice) == (1, 2, 22050, "audio/wav", "cmn")
    assert 1.5 < frames / rate < 20  # seconds of speech for 24 characters
    assert spoken.sha256 == hashlib.sha256(spoken.data).hexdigest()
    assert spoken.data[:4] == b"RIFF" and int.from_bytes(spoken.data[4:8], "little") == len(spoken.data) - 8


def test_missing_espeak_is_explained_in_both_languages() -> None:
    with pytest.raises(ChannelError) as caught:
        EspeakTTS(binary="espeak-ng-not-here").synthesize(NOTICE)
    assert (caught.value.code, caught.value.field) == ("tts_unavailable", "QINGZHAI_VOICE_TTS")
    assert "apt-get install espeak-ng" in caught.value.zh and "apt-get install espeak-ng" in caught.value.en
    with pytest.raises(ChannelError) as caught:
        NullTTS().synthesize("  ")
    assert caught.value.code == "tts_text_empty"


def test_null_tts_makes_silent_wavs_that_hash_apart() -> None:
    first, second = NullTTS().synthesize("你好"), NullTTS().synthesize("再见")
    assert _wav(first.data) == (1, 2, 8000, 800)  # 50 ms per character
    assert first.sha256 != second.sha256
    assert NullTTS().synthesize("你好") == first
    assert wav_bytes(b"", comment="").startswith(b"RIFF\x24\x00\x00\x00WAVE")


def test_text_asr_reads_text_only() -> None:
    assert TextASR().transcribe("  我下周还 ".encode(), "text/plain; charset=utf-8").text == "我下周还"
    with pytest.raises(ChannelError) as caught:
        TextASR().transcribe(b"RIFF", "audio/wav")
    assert caught.value.code == "asr_media_unsupported"


def test_protocols_are_met() -> None:
    assert isinstance(NullTTS(), TTS) and isinstance(EspeakTTS(), TTS)
    assert isinstance(TextASR(), ASR)
    assert isinstance(LoopbackTelephony(), Telephony)


def test_loopback_call_plays_the_bot_and_answers_with_the_script() -> None:
    line = LoopbackTelephony({"13800138000": ["我现在没钱", "下周一还五百"]})
    channel = VoiceChannel(NullTTS(), TextASR(), line)
    call = line.dial("13800138000")
    spoken = channel.say(call.call_id, "请问您什么时候还款？")
    assert channel.hear(call.call_id).text == "我现在没钱"
    channel.say(call.call_id, "好的")
    assert channel.hear(call.call_id).text == "下周一还五百"
    assert (channel.hear(call.call_id).text, channel.hear(call.call_id).confidence) == ("", 0.0)  # silence
    line.hang_up(call.call_id)
    entry = line.calls[call.call_id]
    assert [a.text for a in entry.played] == ["请问您什么时候还款？", "好的"]
    assert entry.played[0].sha256 == spoken.sha256
    assert entry.heard == ["我现在没钱", "下周一还五百", "", ""]
    with pytest.raises(ChannelError) as caught:
        line.play(call.call_id, spoken)
    assert caught.value.code == "call_not_active"


def test_send_plays_the_notice_and_returns_the_audio_fingerprint() -> None:
    line = LoopbackTelephony(["好的，知道了"])
    channel = VoiceChannel(NullTTS(), TextASR(), line, caller_id="02160000000")
    result = channel.send(
        Message("case-9:voice:1", "voice", "+86 138 0013 8000", body=NOTICE, meta={"listen": True})
    )
    expected = NullTTS().synthesize(NOTICE)
    assert (result.status, result.provider_id) == ("accepted", "loop-000001")
    assert (result.data, result.detail["audio_sha256"], result.detail["reply"]) == (
        expected.data,
        expected.sha256,
        "好的，知道了",
    )
    assert line.calls["loop-000001"].call.to == "13800138000"
    assert line.calls["loop-000001"].active is False  # hung up


def test_unanswered_calls_are_retryable_and_bad_numbers_permanent() -> None:
    line = LoopbackTelephony(states={"13800138000": "busy", "13900139000": "no_answer"})
    channel = VoiceChannel(NullTTS(), TextASR(), line)
    busy = channel.send(Message("k1", "voice", "13800138000", body=NOTICE))
    silent = channel.send(Message("k2", "voice", "13900139000", body=NOTICE))
    landline = channel.send(Message("k3", "voice", "021-6000-0000", body=NOTICE))
    wrong = channel.send(Message("k4", "voice", "12345", body=NOTICE))
    assert [(r.status, r.error_code) for r in (busy, silent, landline, wrong)] == [
        ("failed_retryable", "voice_busy"),
        ("failed_retryable", "voice_no_answer"),
        ("accepted", ""),
        ("failed_permanent", "voice_number_invalid"),
    ]
    assert (busy.error_zh, silent.error_en) == ("对方忙线", "No answer")


def test_voice_from_settings_with_plugins() -> None:
    channel = channel_for(
        "voice",
        {
            "QINGZHAI_VOICE_TTS": "null",
            "QINGZHAI_VOICE_TELEPHONY": "loopback",
            "QINGZHAI_VOICE_CALLER_ID": "1",
        },
    )
    assert isinstance(channel, VoiceChannel)
    assert (type(channel.tts), type(channel.asr), type(channel.telephony), channel.caller_id) == (
        NullTTS,
        TextASR,
        LoopbackTelephony,
        "1",
    )
    plugged = channel_for(
        "voice",
        {
            "QINGZHAI_VOICE_TTS": "tests.contact.channels.test_voice:CloudTTS",
            "QINGZHAI_VOICE_TELEPHONY": "loopback",
        },
    )
    assert isinstance(plugged.tts, CloudTTS) and plugged.tts.settings["QINGZHAI_VOICE_TTS"].endswith(
        "CloudTTS"
    )  # type: ignore[attr-defined]
    assert isinstance(channel_for("voice", {"QINGZHAI_VOICE_TELEPHONY": "loopback"}).tts, EspeakTTS)  # type: ignore[attr-defined]
    with pytest.raises(ChannelError) as caught:
        channel_for("voice", {"QINGZHAI_VOICE_TTS": "null"})
    assert caught.value.code == "channel_setting_missing"
    with pytest.raises(ChannelError) as caught:
        channel_for(
            "voice", {"QINGZHAI_VOICE_TTS": "nowhere.module:Thing", "QINGZHAI_VOICE_TELEPHONY": "loopback"}
        )
    assert caught.value.code == "voice_plugin_unknown"


class CloudTTS:
    def __init__(self, settings: object) -> None:
        self.settings = settings

    def synthesize(self, text: str):  # type: ignore[no-untyped-def]
        return NullTTS().synthesize(text)


def test_call_events_and_spoken_replies() -> None:
    channel = VoiceChannel(NullTTS(), TextASR(), LoopbackTelephony())
    receipt = channel.parse_receipt({"call_id": "uuid-1", "status": "no_answer", "at": 1_700_000_000})
    assert (receipt.provider_id, receipt.status, receipt.at) == (
        "uuid-1",
        "failed",
        datetime.fromtimestamp(1_700_000_000, UTC),
    )
    assert channel.parse_receipt({"call_id": "uuid-1", "status": "completed", "at": 0}).status == "delivered"
    reply = channel.parse_reply(
        {"from": "13800138000", "text": "好", "at": "2025-01-01T00:00:00Z", "call_id": "uuid-1"}
    )
    assert (reply.from_, reply.provider_id) == ("13800138000", "uuid-1")
