"""`qingzhai emotion [FILE|-] [--json]`: the emotion of each debtor utterance in a JSON-lines file.

Each input line is `{"id": ..., "text": "..."}`; each output line `{"id", "emotion", "score"}` (with
`--detail`, also `scores` and `cues`). A line that cannot be used gives one error line naming it, in
Chinese and English, and the rest go on. Exit status: 0 when every line was read (bad lines reported),
2 when the input itself is unusable (no such file, unreadable)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import typer
from rich.console import Console

from qingzhai.cli import app
from qingzhai.cli.errors import fail

err_console = Console(stderr=True)


def _line_error(number: int, code: str, zh: str, en: str, field: str, id_: Any = None) -> dict[str, Any]:
    return {
        "line": number,
        "id": id_,
        "code": code,
        "message": f"第 {number} 行：{zh} / Line {number}: {en}",
        "message_zh": f"第 {number} 行：{zh}",
        "message_en": f"Line {number}: {en}",
        "field": field,
    }


def parse_line(number: int, raw: bytes) -> tuple[Any, str] | dict[str, Any]:
    """(id, text) of one input line, or its error object."""
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        return _line_error(number, "invalid_encoding", "不是 UTF-8 编码", "not UTF-8 text", "line")
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return _line_error(
            number, "invalid_json", f"不是有效的 JSON（{exc.msg}）", f"not valid JSON ({exc.msg})", "line"
        )
    if not isinstance(item, dict):
        return _line_error(number, "invalid_line", "应为 JSON 对象", "expected a JSON object", "line")
    id_ = item.get("id")
    if "id" not in item or not isinstance(id_, str | int) or isinstance(id_, bool):
        return _line_error(
            number, "missing_id", "缺少 id（字符串或整数）", "missing id (a string or an integer)", "id"
        )
    text = item.get("text")
    if not isinstance(text, str):
        return _line_error(number, "missing_text", "缺少 text 字符串", "missing text (a string)", "text", id_)
    return id_, text


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield number, raw.rstrip(b"\r\n")


@app.command("emotion")
def emotion_cmd(
    source: str = typer.Argument("-", help="JSON 行文件，- 为标准输入 / JSON-lines file, - for stdin"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 行 / print JSON lines"),
    detail: bool = typer.Option(False, "--detail", help="附各情绪得分与线索 / add all scores and cues"),
) -> None:
    """识别每句债务人话语的情绪：anxious 焦虑、angry 愤怒、sad 悲伤、calm 平静、cooperative 配合 /
    the emotion of each debtor utterance, one `{"id", "text"}` JSON object a line."""
    from qingzhai.contact.emotion import LexiconError, default_classifier

    if source == "-":
        stream: BinaryIO = typer.get_binary_stream("stdin")
    else:
        path = Path(source)
        try:
            stream = path.open("rb")
        except OSError:
            fail(
                as_json,
                "input_unreadable",
                f"无法读取输入文件：{source}",
                f"Cannot read the input file: {source}",
                {"file": [source]},
            )
    try:
        classifier = default_classifier()
    except LexiconError as exc:
        fail(as_json, exc.code, exc.zh, exc.en, {exc.field: [exc.code]})
    try:
        for number, raw in _lines(stream):
            parsed = parse_line(number, raw)
            if isinstance(parsed, dict):
                if as_json:
                    print(json.dumps(parsed, ensure_ascii=False), flush=True)
                else:
                    err_console.print(
                        f"[red]{parsed['message_zh']}\n{parsed['message_en']}[/]", soft_wrap=True
                    )
                continue
            id_, text = parsed
            found = classifier.classify(text)
            if as_json:
                out: dict[str, Any] = {"id": id_, "emotion": found.label, "score": found.score}
                if detail:
                    out |= {"scores": found.scores, "cues": list(found.cues)}
                print(json.dumps(out, ensure_ascii=False), flush=True)
            else:
                cues = f"\t{' '.join(found.cues)}" if detail else ""
                print(f"{id_}\t{found.label}\t{found.score:.4f}{cues}", flush=True)
    except OSError:
        fail(as_json, "input_unreadable", f"读取输入中断：{source}", f"Reading the input failed: {source}")
    finally:
        if source != "-":
            stream.close()
