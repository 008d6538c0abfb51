"""Recompute the stored log and compare it with what was signed.

Checks, in one pass over the leaves in index order: no index is missing; each leaf's data hashes to its
stored leaf hash; each stored complete-subtree node equals the hash of the stored leaves below it; every
stored checkpoint is signed by the log's key (and by the witnesses that cosigned it), and its root equals
the root of the leaves it covers, so every checkpoint is consistent with every earlier one; no checkpoint
covers more leaves than are stored. With `full`, each artifact a leaf names is read back and hashed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from qingzhai.evidence import artifacts, checkpoint, merkle, note, signing, tree
from qingzhai.evidence.models import Checkpoint, Cosignature, Entry, Node, Witness, node_key

PROBLEM_TEXT = {
    "missing_leaf": ("缺失日志条目", "missing leaf"),
    "changed_leaf": ("日志条目被改动", "changed leaf"),
    "changed_node": ("树节点被改动", "changed tree node"),
    "missing_node": ("树节点缺失", "missing tree node"),
    "changed_artifact": ("证据文件被改动", "changed artifact"),
    "missing_artifact": ("证据文件缺失", "missing artifact"),
    "bad_signature": ("检查点签名无效", "bad checkpoint signature"),
    "bad_cosignature": ("见证签名无效", "bad witness cosignature"),
    "inconsistent_checkpoint": ("检查点与日志不一致", "checkpoint inconsistent with the log"),
}


@dataclass(frozen=True)
class Problem:
    index: int | None
    kind: str
    detail: str
    end: int | None = None  # for a checkpoint mismatch: the leaves [index, end) it covers

    def text(self) -> str:
        zh, en = PROBLEM_TEXT[self.kind]
        where = f"索引 {self.index} / index {self.index}: " if self.index is not None else ""
        return f"{where}{zh} / {en} — {self.detail}"


@dataclass
class Report:
    size: int = 0
    checkpoint_size: int | None = None
    checkpoints: int = 0
    artifacts_checked: int = 0
    full: bool = False
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def first(self) -> Problem | None:
        if not self.problems:
            return None
        return min(self.problems, key=lambda p: (p.index is None, p.index or 0))


def _check_checkpoints(report: Report) -> dict[int, bytes]:
    """Signature and form of every stored checkpoint; returns {size: signed root} of the valid ones."""
    log_verifier = signing.verifier()
    witnesses = {w.pk: w for w in Witness.objects.all()}
    cosigs: dict[int, list[Cosignature]] = {}
    for cosig in Cosignature.objects.all():
        cosigs.setdefault(cosig.checkpoint_id, []).append(cosig)  # type: ignore[attr-defined]
    roots: dict[int, bytes] = {}
    for size, root, text in Checkpoint.objects.order_by("size").values_list("size", "root", "note"):
        report.checkpoints += 1
        try:
            opened, _ = note.open_note(text, [log_verifier])
            body = checkpoint.parse_checkpoint(opened.text)
        except (note.NoteError, checkpoint.CheckpointError) as exc:
            report.problems.append(Problem(size - 1, "bad_signature", f"checkpoint of size {size}: {exc}"))
            continue
        if body.origin != signing.origin() or body.size != size or body.root != bytes(root):
            report.problems.append(
                Problem(
                    size - 1,
                    "bad_signature",
                    f"checkpoint of size {size}: the signed text and the row differ",
                )
            )
            continue
        for cosig in cosigs.get(size, []):
            witness = witnesses[cosig.witness_id]  # type: ignore[attr-defined]
            try:
                wv = note.CosignatureVerifier.from_vkey(witness.vkey)
                note.open_note(opened.text + "\n" + cosig.line + "\n", [wv])
            except (ValueError, note.NoteError) as exc:
                report.problems.append(
                    Problem(
                        size - 1,
                        "bad_cosignature",
                        f"checkpoint of size {size}, witness {witness.name}: {exc}",
                    )
                )
        roots[size] = body.root
    report.checkpoint_size = max(roots) if roots else None
    return roots


def _check_nodes(created: list[tuple[int, bytes]], report: Report, bad: set[int]) -> None:
    """Compare nodes recomputed from the stored leaf hashes with the stored nodes. Only the lowest node
    that differs is reported (its ancestors differ because of it); `bad` carries those across chunks."""
    if not created:
        return
    by_level: dict[int, list[tuple[int, bytes]]] = {}
    for key, value in created:
        by_level.setdefault(key >> 56, []).append((key, value))
    for level, items in sorted(by_level.items()):
        lo, hi = items[0][0], items[-1][0]
        stored = dict(
            (k, bytes(h)) for k, h in Node.objects.filter(key__gte=lo, key__lte=hi).values_list("key", "hash")
        )
        for key, value in items:
            index = key & ((1 << 56) - 1)
            first = index << level
            span = f"leaves [{first}, {first + (1 << level)})"
            children = {node_key(level - 1, 2 * index), node_key(level - 1, 2 * index + 1)}
            if children & bad:
                bad.add(key)
                continue
            if key not in stored or stored[key] != value:
                bad.add(key)
            if key not in stored:
                report.problems.append(Problem(first, "missing_node", f"level {level} node over {span}"))
            elif stored[key] != value:
                report.problems.append(
                    Problem(first, "changed_leaf", f"{span} no longer hash to the stored level {level} node")
                )


def run(*, full: bool = False, chunk: int = 20000, progress: Callable[[int], None] | None = None) -> Report:
    started = time.monotonic()
    report = Report(full=full)
    roots = _check_checkpoints(report)
    all_sizes = set(Checkpoint.objects.values_list("size", flat=True))
    stack: list[tuple[int, bytes]] = []
    expected = 0
    last_checked = 0
    artifacts_seen: set[str] = set()
    bad_nodes: set[int] = set()
    while True:
        rows = list(
            Entry.objects.filter(index__gte=expected)
            .order_by("index")
            .values_list("index", "leaf_hash", "data", "artifact_sha256")[:chunk]
        )
        if not rows:
            break
        created: list[tuple[int, bytes]] = []
        for index, stored_hash, data, artifact_sha in rows:
            if index != expected:
                report.problems.append(
                    Problem(expected, "missing_leaf", f"leaves [{expected}, {index}) are not stored")
                )
                report.size = expected
                _check_nodes(created, report, bad_nodes)
                report.seconds = time.monotonic() - started
                return _finish(report, roots, expected)
            stored_hash = bytes(stored_hash)
            if merkle.leaf_hash(bytes(data)) != stored_hash:
                report.problems.append(
                    Problem(index, "changed_leaf", "the leaf data no longer hashes to its leaf hash")
                )
            created.extend(tree.extend(index, stack, [stored_hash]))
            expected = index + 1
            if expected in all_sizes:
                if expected in roots and tree.frontier_root(stack) != roots[expected]:
                    report.problems.append(
                        Problem(
                            last_checked,
                            "inconsistent_checkpoint",
                            f"the leaves [{last_checked}, {expected}) no longer give the root signed at size {expected}",
                            expected,
                        )
                    )
                last_checked = expected
            if full and artifact_sha and artifact_sha not in artifacts_seen:
                artifacts_seen.add(artifact_sha)
                problem = artifacts.check(artifact_sha)
                report.artifacts_checked += 1
                if problem:
                    report.problems.append(Problem(index, f"{problem}_artifact", f"sha256 {artifact_sha}"))
        _check_nodes(created, report, bad_nodes)
        if progress:
            progress(expected)
    report.size = expected
    report.seconds = time.monotonic() - started
    return _finish(report, roots, expected)


def _finish(report: Report, roots: dict[int, bytes], size: int) -> Report:
    # A checkpoint mismatch explained by a more precise problem in its range adds nothing.
    precise = [
        p.index for p in report.problems if p.kind != "inconsistent_checkpoint" and p.index is not None
    ]
    report.problems = [
        p
        for p in report.problems
        if p.kind != "inconsistent_checkpoint" or not any(p.index <= i < (p.end or 0) for i in precise)  # type: ignore[operator]
    ]
    beyond = [s for s in roots if s > size]
    if beyond:
        report.problems.append(
            Problem(
                size, "missing_leaf", f"checkpoint of size {max(beyond)} names leaves that are not stored"
            )
        )
    return report
