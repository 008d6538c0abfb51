"""SMS sending throughput through the local test gateway: our adapter against a bare urllib loop.

The gateway (qingzhai.contact.channels.test_gateway) runs in its own process, so client and server do
not share a GIL. In the same run, with the same thread count and the same message bodies:

- ours: SmsChannel.send — number and length checks, segment count, JSON, API-key and idempotency-key
  headers, one kept-alive HTTP/1.1 connection per thread, the answer mapped to a SendResult;
- peer: `urllib.request.urlopen` POSTing the same JSON with the same headers, the plainest standard
  library client (a new connection per request), its answer read and parsed as JSON.

Messages per second of each at 1 and at --threads threads, and the ratio ours / peer. Every message is
accepted (the script checks), and the gateway de-duplicates, so each key is used once.

    .venv/bin/python benchmarks/contact_sms.py [--n 4000] [--threads 8] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.contact.channels import Message  # noqa: E402
from qingzhai.contact.channels.sms import SmsChannel, sms_segments  # noqa: E402

API_KEY = "bench-key"
BODY = "【清债】{name}您好，您在本平台的借款已逾期{days}天，当前应还人民币{amount}元。请于3日内还款或联系我们协商还款计划，退订回T。"


def messages(prefix: str, n: int) -> list[Message]:
    return [
        Message(
            f"{prefix}-{i}",
            "sms",
            f"13{i % 10}{i:08d}"[-11:],
            body=BODY.format(name="张先生", days=30 + i % 60, amount=f"{1000 + i % 9000}.00"),
        )
        for i in range(n)
    ]


def run(send: Callable[[Message], bool], batch: list[Message], threads: int) -> float:
    chunks = [batch[i::threads] for i in range(threads)]
    failures: list[int] = []

    def work(chunk: list[Message]) -> None:
        failures.append(sum(not send(m) for m in chunk))

    workers = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if sum(failures):
        raise SystemExit(f"{sum(failures)} messages were not accepted")
    return len(batch) / elapsed


def peer_sender(url: str) -> Callable[[Message], bool]:
    def send(message: Message) -> bool:
        data = json.dumps(
            {
                "to": message.to,
                "text": message.body,
                "segments": sms_segments(message.body),
                "idempotency_key": message.idempotency_key,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        request = urllib.request.Request(
            url,
            data=data,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Api-Key": API_KEY,
                "Idempotency-Key": message.idempotency_key,
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return bool(json.loads(response.read()).get("id"))

    return send


def start_gateway() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "qingzhai.contact.channels.test_gateway", "--port", "0", "--api-key", API_KEY],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip().rsplit(" ", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    process, url = start_gateway()
    out: dict[str, Any] = {
        "n": args.n,
        "threads": args.threads,
        "segments": sms_segments(messages("x", 1)[0].body),
    }
    try:
        channel = SmsChannel(url, API_KEY, timeout=10)
        peer = peer_sender(url)
        ours = lambda m: channel.send(m).ok  # noqa: E731
        run(ours, messages("warm-ours", 200), 2)
        run(peer, messages("warm-peer", 200), 2)
        for threads in sorted({1, args.threads}):
            # Alternate who goes first so neither always meets a fuller gateway.
            order = [("ours", ours), ("peer", peer)] if threads == 1 else [("peer", peer), ("ours", ours)]
            for name, send in order:
                out[f"{name}_msgs_per_s_{threads}t"] = run(
                    send, messages(f"{name}-{threads}", args.n), threads
                )
            out[f"ratio_{threads}t"] = out[f"ours_msgs_per_s_{threads}t"] / out[f"peer_msgs_per_s_{threads}t"]
    finally:
        process.terminate()
        process.wait(10)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"SMS through the local test gateway: {args.n} messages of {out['segments']} segment(s) per run")
    for threads in sorted({1, args.threads}):
        print(
            f"  {threads:>2} thread(s): ours {out[f'ours_msgs_per_s_{threads}t']:>8.0f} msg/s   "
            f"urllib loop {out[f'peer_msgs_per_s_{threads}t']:>8.0f} msg/s   "
            f"ratio {out[f'ratio_{threads}t']:.2f}x"
        )


if __name__ == "__main__":
    main()
