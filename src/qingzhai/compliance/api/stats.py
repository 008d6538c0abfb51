"""Screening statistics: violations per 1,000 utterances, in total and per collector."""

from __future__ import annotations

from datetime import timedelta

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import selectors
from qingzhai.core.clock import now
from qingzhai.portfolio.api.common import LIST_ERRORS, ApiView, query

TAGS = ["compliance-stats"]


class StatsQuery(serializers.Serializer):
    period = serializers.IntegerField(
        min_value=1, max_value=3660, required=False, default=30, help_text="The last N days"
    )


class CollectorRefOut(serializers.Serializer):
    id = serializers.IntegerField(source="collector_id")
    name = serializers.CharField()


class CountsOut(serializers.Serializer):
    utterances = serializers.IntegerField()
    violating = serializers.IntegerField(help_text="Utterances that raised an alert")
    per_thousand = serializers.FloatField(help_text="Violating per 1,000 utterances, one decimal")
    alerts_open = serializers.IntegerField(help_text="Alerts not closed yet")


class CollectorCountsOut(CountsOut):
    collector = CollectorRefOut(source="*")


class CollectorStatsOut(serializers.Serializer):
    period_days = serializers.IntegerField()
    since = serializers.DateTimeField()
    total = CountsOut()
    collectors = CollectorCountsOut(many=True, help_text="Most violations first")


class CollectorStatsView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_stats_collectors",
        tags=TAGS,
        summary="Violations per 1,000 utterances over the last `period` days, per collector (compliance.view)",
        parameters=[StatsQuery],
        responses={200: CollectorStatsOut, **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(StatsQuery, request)
        since = now() - timedelta(days=params["period"])
        total, per = selectors.collector_stats(user=request.user, since=since)
        payload = {"period_days": params["period"], "since": since, "total": total, "collectors": per}
        return Response(CollectorStatsOut(payload).data)
