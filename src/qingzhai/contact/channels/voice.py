"""Voice: speech synthesis, speech recognition and the telephone line, each behind a Protocol (pure: no
Django).

TTS — `synthesize(text) -> Audio` (WAV bytes and their sha256, for the evidence ledger). `EspeakTTS`
runs espeak-ng with its Mandarin voice `cmn` (a subprocess with a timeout); `NullTTS` makes silent WAVs
for tests. A cloud TTS is any class with the same method, named in QINGZHAI_VOICE_TTS as
"package.module:Class" and built with the settings mapping.

ASR — `transcribe(audio, media_type) -> Transcript`. `TextASR` reads text carried as "text/plain"
audio: what the loopback line and the debtor simulator hear. A real recogniser plugs in the same way
(QINGZHAI_VOICE_ASR).

Telephony — the connector to a SIP switch (FreeSWITCH, Asterisk or a carrier's SIP trunk). A connector
implements four calls; every id is the switch's call id (FreeSWITCH: the channel UUID):

- `dial(to, *, caller_id, timeout) -> Call`: place the call and wait until it is answered or not
  (FreeSWITCH ESL: `bgapi originate {origination_caller_id_number=...}sofia/gateway/<trunk>/<to> &park()`,
  then the CHANNEL_ANSWER or CHANNEL_HANGUP event; the hang-up cause maps to Call.state: USER_BUSY →
  "busy", NO_ANSWER / NO_USER_RESPONSE → "no_answer", others → "failed").
- `play(call_id, audio)`: play the WAV to the callee and return when it has finished (FreeSWITCH:
  write it to a shared path, `uuid_broadcast <uuid> <path> aleg`, wait for PLAYBACK_STOP).
- `listen(call_id, *, timeout) -> Heard`: record the callee until silence or `timeout` seconds
  (FreeSWITCH: `uuid_record` with silence detection, or mod_audio_fork streaming to the recogniser);
  empty audio means the callee said nothing.
- `hang_up(call_id)`: end the call (FreeSWITCH: `uuid_kill <uuid> NORMAL_CLEARING`); no error when the
  callee hung up first.

A connector should also POST call events to the voice callback so `VoiceChannel.parse_receipt` can read
them: {"call_id", "status": "answered" | "completed" | "busy" | "no_answer" | "failed", "at"}.
`LoopbackTelephony` is the in-memory line of the tests and the simulator: it keeps what the bot played
and answers with scripted debtor text.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import os
import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable

from qingzhai.contact.channels.base import (
    PERMANENT,
    RETRYABLE,
    ChannelError,
    Message,
    Receipt,
    Reply,
    SendResult,
    accepted,
    failed,
    json_receipt,
    json_reply,
    setting,
)
from qingzhai.core.validators import is_valid_mobile, normalise_mobile

WAV = "audio/wav"
TEXT = "text/plain; charset=utf-8"
CallState = Literal["answered", "busy", "no_answer", "failed"]
_LANDLINE = re.compile(r"^0\d{9,11}$")


@dataclass(frozen=True)
class Audio:
    data: bytes
    media_type: str
    sha256: str
    text: str = ""
    voice: str = ""


def audio(data: bytes, media_type: str = WAV, *, text: str = "", voice: str = "") -> Audio:
    return Audio(data, media_type, hashlib.sha256(data).hexdigest(), text, voice)


@dataclass(frozen=True)
class Transcript:
    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Heard:
    audio: bytes
    media_type: str


@dataclass(frozen=True)
class Call:
    call_id: str
    to: str
    state: CallState
    started_at: datetime


@runtime_checkable
class TTS(Protocol):
    def synthesize(self, text: str) -> Audio: ...


@runtime_checkable
class ASR(Protocol):
    def transcribe(self, audio: bytes, media_type: str) -> Transcript: ...


@runtime_checkable
class Telephony(Protocol):
    def dial(self, to: str, *, caller_id: str = "", timeout: float = 30.0) -> Call: ...

    def play(self, call_id: str, audio: Audio) -> None: ...

    def listen(self, call_id: str, *, timeout: float = 10.0) -> Heard: ...

    def hang_up(self, call_id: str) -> None: ...


# --- TTS -------------------------------------------------------------------------------------------


def _empty(text: str) -> None:
    if not text.strip():
        raise ChannelError(
            "tts_text_empty", "语音合成的文本为空", "Nothing to speak: the text is empty", field="text"
        )


class EspeakTTS:
    """espeak-ng, Mandarin voice `cmn` by default: 22 050 Hz mono 16-bit WAV."""

    def __init__(
        self, voice: str = "cmn", *, speed: int = 150, timeout: float = 30.0, binary: str = "espeak-ng"
    ):
        self.voice, self.speed, self.timeout, self.binary = voice, speed, timeout, binary

    def synthesize(self, text: str) -> Audio:
        _empty(text)
        program = shutil.which(self.binary)
        if program is None:
            raise ChannelError(
                "tts_unavailable",
                f"未找到语音合成程序 {self.binary}：请安装 espeak-ng（apt-get install espeak-ng），"
                "或在 QINGZHAI_VOICE_TTS 中配置其他语音合成服务",
                f"The speech synthesiser {self.binary} was not found: install espeak-ng "
                "(apt-get install espeak-ng) or name another TTS in QINGZHAI_VOICE_TTS",
                field="QINGZHAI_VOICE_TTS",
            )
        handle, path = tempfile.mkstemp(suffix=".wav")
        os.close(handle)
        try:
            args = [program, "-v", self.voice, "-s", str(self.speed), "-b", "1", "-w", path, "--stdin"]
            done = subprocess.run(args, input=text.encode("utf-8"), capture_output=True, timeout=self.timeout)
            if done.returncode != 0:
                detail = done.stderr.decode("utf-8", "replace").strip()
                raise ChannelError(
                    "tts_failed",
                    f"语音合成失败：{detail}",
                    f"Speech synthesis failed: {detail}",
                    field="QINGZHAI_VOICE_TTS",
                )
            with open(path, "rb") as wav:
                data = wav.read()
        except subprocess.TimeoutExpired:
            raise ChannelError(
                "tts_timeout",
                f"语音合成超过 {self.timeout:g} 秒未完成",
                f"Speech synthesis took longer than {self.timeout:g} s",
                field="QINGZHAI_VOICE_TTS",
            ) from None
        finally:
            os.unlink(path)
        return audio(data, text=text, voice=self.voice)


def wav_bytes(pcm: bytes, *, rate: int = 8000, comment: str = "") -> bytes:
    """A mono 16-bit PCM WAV, with `comment` in a LIST/INFO ICMT chunk when given."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(pcm)) + pcm
    if len(pcm) % 2:
        chunks += b"\0"
    if comment:
        text = comment.encode("utf-8") + b"\0"
        text += b"\0" * (len(text) % 2)
        info = b"INFO" + b"ICMT" + struct.pack("<I", len(text)) + text
        chunks += b"LIST" + struct.pack("<I", len(info)) + info
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


class NullTTS:
    """Silence, 50 ms per character, with the text in the WAV's comment (so each text hashes apart)."""

    voice = "null"

    def synthesize(self, text: str) -> Audio:
        _empty(text)
        pcm = b"\0\0" * (400 * len(text))
        return audio(wav_bytes(pcm, comment=text), text=text, voice=self.voice)


# --- ASR -------------------------------------------------------------------------------------------


class TextASR:
    """Reads "audio" that is text (text/plain, UTF-8): the loopback line, the simulator, tests."""

    def transcribe(self, audio: bytes, media_type: str) -> Transcript:
        if not media_type.startswith("text/plain"):
            raise ChannelError(
                "asr_media_unsupported",
                f"文本识别器只能读取文本，收到的是 {media_type}：请配置语音识别服务（QINGZHAI_VOICE_ASR）",
                f"The text recogniser reads text only, not {media_type}: configure a speech "
                "recogniser (QINGZHAI_VOICE_ASR)",
                field="QINGZHAI_VOICE_ASR",
            )
        return Transcript(audio.decode("utf-8").strip(), 1.0)


# --- loopback line ---------------------------------------------------------------------------------


@dataclass
class LoopbackCall:
    call: Call
    script: list[str]
    played: list[Audio] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)
    active: bool = True


class LoopbackTelephony:
    """An in-memory line: each number answers (or is busy / does not answer, per `states`) and speaks the
    lines of its script in turn, one per `listen`; silence when the script is spent."""

    def __init__(
        self,
        script: Mapping[str, Iterable[str]] | Iterable[str] = (),
        *,
        states: Mapping[str, CallState] | None = None,
    ) -> None:
        self.scripts: dict[str, list[str]] = (
            {k: list(v) for k, v in script.items()} if isinstance(script, Mapping) else {"*": list(script)}
        )
        self.states = dict(states or {})
        self.calls: dict[str, LoopbackCall] = {}
        self._ids = itertools.count(1)

    def dial(self, to: str, *, caller_id: str = "", timeout: float = 30.0) -> Call:
        state = self.states.get(to, "answered")
        call = Call(f"loop-{next(self._ids):06d}", to, state, datetime.now(UTC))
        lines = list(self.scripts.get(to, self.scripts.get("*", [])))
        self.calls[call.call_id] = LoopbackCall(call, lines, active=state == "answered")
        return call

    def _live(self, call_id: str) -> LoopbackCall:
        entry = self.calls.get(call_id)
        if entry is None or not entry.active:
            raise ChannelError(
                "call_not_active",
                f"通话不存在或已结束：{call_id}",
                f"No active call {call_id}",
                field="call_id",
            )
        return entry

    def play(self, call_id: str, audio: Audio) -> None:
        self._live(call_id).played.append(audio)

    def listen(self, call_id: str, *, timeout: float = 10.0) -> Heard:
        entry = self._live(call_id)
        line = entry.script.pop(0) if entry.script else ""
        entry.heard.append(line)
        return Heard(line.encode("utf-8"), TEXT)

    def hang_up(self, call_id: str) -> None:
        if call_id in self.calls:
            self.calls[call_id].active = False


# --- the channel -----------------------------------------------------------------------------------


def _plugin(
    value: str, settings: Mapping[str, Any], builtins: Mapping[str, Callable[[], Any]], name: str
) -> Any:
    if value in builtins:
        return builtins[value]()
    module, _, attr = value.partition(":")
    try:
        factory = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        raise ChannelError(
            "voice_plugin_unknown",
            f"{name} 配置无效：{value!r}（应为 {' / '.join(builtins)} 或 包.模块:类）",
            f"Invalid {name}: {value!r} (expected {' / '.join(builtins)} or package.module:Class)",
            field=name,
        ) from None
    return factory(settings)


class VoiceChannel:
    """A spoken notice: dial, play the synthesised body, optionally listen once, hang up. The dialog
    engine drives longer calls with `say` and `hear` on a call it dialled itself."""

    name = "voice"

    def __init__(
        self, tts: TTS, asr: ASR, telephony: Telephony, *, caller_id: str = "", timeout: float = 30.0
    ):
        self.tts, self.asr, self.telephony = tts, asr, telephony
        self.caller_id, self.timeout = caller_id, timeout

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> VoiceChannel:
        voice = str(setting(settings, "QINGZHAI_VOICE_TTS_VOICE", "cmn"))
        tts = _plugin(
            str(setting(settings, "QINGZHAI_VOICE_TTS", "espeak")),
            settings,
            {"espeak": lambda: EspeakTTS(voice), "null": NullTTS},
            "QINGZHAI_VOICE_TTS",
        )
        asr = _plugin(
            str(setting(settings, "QINGZHAI_VOICE_ASR", "text")),
            settings,
            {"text": TextASR},
            "QINGZHAI_VOICE_ASR",
        )
        line = _plugin(
            str(setting(settings, "QINGZHAI_VOICE_TELEPHONY", required=True)),
            settings,
            {"loopback": LoopbackTelephony},
            "QINGZHAI_VOICE_TELEPHONY",
        )
        return cls(tts, asr, line, caller_id=str(setting(settings, "QINGZHAI_VOICE_CALLER_ID", "")))

    def say(self, call_id: str, text: str) -> Audio:
        spoken = self.tts.synthesize(text)
        self.telephony.play(call_id, spoken)
        return spoken

    def hear(self, call_id: str, *, timeout: float = 10.0) -> Transcript:
        heard = self.telephony.listen(call_id, timeout=timeout)
        if not heard.audio:
            return Transcript("", 0.0)
        return self.asr.transcribe(heard.audio, heard.media_type)

    def send(self, message: Message) -> SendResult:
        to = normalise_mobile(message.to)
        if not (is_valid_mobile(to) or _LANDLINE.match(to)):
            return failed(
                PERMANENT,
                "voice_number_invalid",
                f"电话号码无效：{message.to}",
                f"Not a valid phone number: {message.to}",
            )
        spoken = self.tts.synthesize(message.body)  # before dialling: a synthesis problem costs no call
        call = self.telephony.dial(to, caller_id=self.caller_id, timeout=self.timeout)
        if call.state != "answered":
            self.telephony.hang_up(call.call_id)
            return failed(
                RETRYABLE,
                f"voice_{call.state}",
                {"busy": "对方忙线", "no_answer": "无人接听"}.get(call.state, "呼叫失败"),
                {"busy": "The line was busy", "no_answer": "No answer"}.get(call.state, "The call failed"),
                call_id=call.call_id,
            )
        reply = None
        try:
            self.telephony.play(call.call_id, spoken)
            if message.meta.get("listen"):
                reply = self.hear(call.call_id).text
        finally:
            self.telephony.hang_up(call.call_id)
        return accepted(
            call.call_id,
            data=spoken.data,
            audio_sha256=spoken.sha256,
            media_type=spoken.media_type,
            reply=reply,
        )

    def parse_receipt(self, payload: Mapping[str, Any]) -> Receipt:
        return json_receipt(payload, "call_id", "provider_id", "id")

    def parse_reply(self, payload: Mapping[str, Any]) -> Reply:
        return json_reply(payload, "call_id")
