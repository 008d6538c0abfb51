"""The auditor's view of the ledger: its size, queue, latest checkpoint, witnesses and verification runs, and
running a verification (evidence.audit)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.evidence import selectors, services, signing
from qingzhai.evidence.verify import PROBLEM_TEXT, Report
from qingzhai.portfolio.api.common import DETAIL_ERRORS, WRITE_ERRORS, ApiView, api_write, body

TAGS = ["evidence-audit"]


class CheckpointOut(serializers.Serializer):
    size = serializers.IntegerField()
    root = serializers.CharField(help_text="Root hash, hex")  # type: ignore[assignment]
    created_at = serializers.DateTimeField()
    note = serializers.CharField(help_text="The signed note with its cosignatures")


class WitnessOut(serializers.Serializer):
    id = serializers.IntegerField(source="witness.pk")
    name = serializers.CharField(source="witness.name")
    vkey = serializers.CharField(source="witness.vkey")
    description = serializers.CharField(source="witness.description")
    active = serializers.BooleanField(source="witness.active")
    latest_size = serializers.IntegerField(allow_null=True, help_text="The largest checkpoint it cosigned")
    cosignatures = serializers.IntegerField()


class VerificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()
    full = serializers.BooleanField(help_text="Artifacts were re-hashed too")
    size = serializers.IntegerField()
    checkpoint_size = serializers.IntegerField(allow_null=True)
    ok = serializers.BooleanField()
    first_bad_index = serializers.IntegerField(allow_null=True)
    problem = serializers.CharField(help_text="The first problem found; empty when ok")
    actor = serializers.CharField(source="actor_label")


class StatusOut(serializers.Serializer):
    origin = serializers.CharField()
    verifier_key = serializers.CharField(help_text="The log's Ed25519 note verifier key")
    size = serializers.IntegerField(help_text="Entries in the log")
    pending = serializers.IntegerField(help_text="Entries queued for the sequencer")
    checkpoint = CheckpointOut(
        allow_null=True, help_text="The latest signed checkpoint; null before the first"
    )
    witnesses = WitnessOut(many=True)
    last_verification = VerificationOut(allow_null=True)
    last_full_verification = VerificationOut(allow_null=True)


class VerificationIn(serializers.Serializer):
    full = serializers.BooleanField(default=False, help_text="Also read back and hash every artifact")


class ProblemOut(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(choices=sorted(PROBLEM_TEXT))
    detail = serializers.CharField()
    text = serializers.CharField(help_text="The problem in Chinese and English")


class VerificationResultOut(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    full = serializers.BooleanField()
    size = serializers.IntegerField()
    checkpoint_size = serializers.IntegerField(allow_null=True)
    checkpoints = serializers.IntegerField()
    artifacts_checked = serializers.IntegerField()
    seconds = serializers.FloatField()
    problems = ProblemOut(many=True)


def status_dict() -> dict[str, Any]:
    summary = selectors.summary()
    checkpoint = summary["checkpoint"]
    if checkpoint is not None:
        checkpoint = {
            "size": checkpoint.size,
            "root": bytes(checkpoint.root).hex(),
            "created_at": checkpoint.created_at,
            "note": summary["checkpoint_note"],
        }
    return {
        "origin": signing.origin(),
        "verifier_key": signing.vkey(),
        "size": summary["size"],
        "pending": summary["pending"],
        "checkpoint": checkpoint,
        "witnesses": summary["witnesses"],
        "last_verification": summary["last_verification"],
        "last_full_verification": summary["last_full_verification"],
    }


def report_dict(row_id: int, report: Report) -> dict[str, Any]:
    problems = sorted(report.problems, key=lambda p: (p.index is None, p.index or 0))
    return {
        "id": row_id,
        "ok": report.ok,
        "full": report.full,
        "size": report.size,
        "checkpoint_size": report.checkpoint_size,
        "checkpoints": report.checkpoints,
        "artifacts_checked": report.artifacts_checked,
        "seconds": round(report.seconds, 3),
        "problems": [
            {"index": p.index, "kind": p.kind, "detail": p.detail, "text": p.text()} for p in problems
        ],
    }


class StatusView(ApiView):
    capabilities = {"GET": roles.EVIDENCE_AUDIT}

    @extend_schema(
        operation_id="evidence_status_retrieve",
        tags=TAGS,
        summary="The ledger: size, queue, latest checkpoint, witnesses, last verifications (evidence.audit)",
        responses={200: StatusOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(StatusOut(status_dict()).data)


class VerificationsView(ApiView):
    capabilities = {"POST": roles.EVIDENCE_AUDIT}

    @extend_schema(
        operation_id="evidence_verifications_create",
        tags=TAGS,
        summary="Recompute the log against its checkpoints, now (evidence.audit)",
        description=(
            "Runs synchronously and is kept for the auditor page. A problem found is a result (ok false, "
            "with the problems, first index first), not an error. `full` re-hashes every stored file."
        ),
        request=VerificationIn,
        responses={201: VerificationResultOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(VerificationIn, request)
        with api_write():
            row, report = services.verification_run(actor=request.user, full=data["full"])
        return Response(
            VerificationResultOut(report_dict(row.pk, report)).data, status=status.HTTP_201_CREATED
        )
