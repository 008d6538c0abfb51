"""`qingzhai evidence witness run`: witness a Qingzhai evidence log over HTTP. Fetch its checkpoint, check it
against the last one seen (state file) with a consistency proof, cosign, send the cosignature back. Exit
status: 0 cosigned, 1 the log was refused (rollback, fork, bad signature or proof) or refused the
cosignature, 2 unusable input or an unreachable log. The decisions are in qingzhai.evidence.witness_client."""

from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import typer

from qingzhai.cli.evidence import console, err_console, witness_app
from qingzhai.evidence import witness_client

API_PREFIX = "/api/v1/evidence"
TIMEOUT = 30.0
MAX_ANSWER = 1024 * 1024


class Unreachable(Exception):
    pass


class Refused(Exception):
    """The log answered the cosignature with an error."""

    def __init__(self, status: int, body: str) -> None:
        self.status = status
        self.body = body
        super().__init__(f"HTTP {status}")


def api_base(log_url: str) -> str:
    """The evidence API prefix of a log given by its site URL (or by the prefix itself); http(s) only."""
    if urllib.parse.urlsplit(log_url).scheme not in ("http", "https"):
        raise witness_client.WitnessError(
            "bad_log_url",
            "日志网址须以 http:// 或 https:// 开头",
            "The log URL must be http:// or https://",
            usage=True,
        )
    base = log_url.rstrip("/")
    return base if base.endswith(API_PREFIX) else base + API_PREFIX


def _request(url: str, data: bytes | None = None) -> tuple[int, str]:
    headers = {"User-Agent": "qingzhai-witness/1"}
    if data is not None:
        headers["Content-Type"] = "text/plain; charset=utf-8"
    method = "POST" if data is not None else "GET"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310  (http(s) only: api_base)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status, response.read(MAX_ANSWER).decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(MAX_ANSWER).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, UnicodeDecodeError) as exc:
        raise Unreachable(f"{url}: {exc}") from exc


def _get(url: str) -> str:
    status, text = _request(url)
    if status != 200:
        raise Unreachable(f"{url}: HTTP {status} {text[:200]}")
    return text


def save_state(path: Path, state: witness_client.State) -> None:
    """Write the state next to its final place, then rename: a crash leaves the old state or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(witness_client.dump_state(state))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _out(as_json: bool, payload: dict[str, Any], text: str, *, error: bool = False) -> None:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False))
    elif error:
        err_console.print(f"[red]{text}[/]")
    else:
        console.print(text)


def _stop(as_json: bool, code: str, message: str, exit_code: int) -> None:
    _out(as_json, {"ok": False, "code": code, "message": message}, message, error=True)
    raise typer.Exit(exit_code)


@witness_app.command("run")
def witness_run(
    log: str = typer.Option(..., "--log", help="日志网址 / the log's URL, e.g. https://qingzhai.example"),
    log_key: str = typer.Option(..., "--log-key", help="日志验证公钥 / the log's verifier key"),
    witness_key: str = typer.Option(..., "--witness-key", help="见证方签名私钥 / the witness's signing key"),
    state_file: Path = typer.Option(..., "--state", help="状态文件 / state file (last checkpoint seen)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """见证一轮：校验检查点与一致性证明后联署 / witness one round: verify, check consistency, cosign."""
    try:
        base = api_base(log)
        state_text = state_file.read_text(encoding="utf-8") if state_file.exists() else None
        state = witness_client.load_state(state_text)
        checkpoint_text = _get(base + "/checkpoint")

        def fetch_proof(old: int, new: int) -> str:
            return _get(base + "/consistency?" + urllib.parse.urlencode({"old": old, "new": new}))

        decided = witness_client.witness_round(
            checkpoint_text=checkpoint_text,
            state=state,
            fetch_proof=fetch_proof,
            log_vkey=log_key,
            witness_skey=witness_key,
            timestamp=int(time.time()),
        )
        # The witness is committed to what it verified: a failed send must never let a rollback through later.
        save_state(state_file, decided.new)
        status, answer = _request(base + "/cosignatures", decided.cosigned_note.encode("utf-8"))
        if status not in (200, 201):
            raise Refused(status, answer)
    except witness_client.WitnessError as exc:
        _stop(as_json, exc.code, exc.message, 2 if exc.usage else 1)
        return
    except OSError as exc:
        _stop(as_json, "state_io", f"状态文件读写失败 / state file error: {exc}", 2)
        return
    except Unreachable as exc:
        _stop(as_json, "unreachable", f"无法访问日志 / cannot reach the log: {exc}", 2)
        return
    except Refused as exc:
        _stop(
            as_json,
            "cosignature_refused",
            f"日志拒绝了联署 / the log refused the cosignature: HTTP {exc.status} {exc.body[:300]}",
            1,
        )
        return
    try:
        accepted = json.loads(answer).get("accepted", [])
    except (ValueError, AttributeError):
        accepted = []
    old_size = decided.old.size if decided.old else None
    payload = {"ok": True, "old_size": old_size, "size": decided.new.size, "accepted": accepted}
    note_text = "新联署 / new cosignature" if accepted else "此前已联署 / cosigned before"
    _out(as_json, payload, f"{old_size if old_size is not None else '—'} → {decided.new.size}: {note_text}")
