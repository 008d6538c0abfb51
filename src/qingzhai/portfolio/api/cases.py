"""Cases: the queue with its filters, one case, stage changes, next action, bulk assignment, timeline."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.accounts.models import User
from qingzhai.core.errors import DomainError
from qingzhai.portfolio import selectors, services, stages
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    AmountField,
    ApiView,
    ContactPointSerializer,
    CreditorRefSerializer,
    DateInputField,
    IdField,
    PortfolioRefSerializer,
    UserRefSerializer,
    api_write,
    body,
    money_fields,
    query,
)
from qingzhai.portfolio.api.debts import DebtOut
from qingzhai.portfolio.api.work import ActivityOut, PaymentOut, PromiseOut
from qingzhai.portfolio.models import Case, Debtor, Payment

TAGS = ["cases"]
STAGES = [s.value for s in stages.Stage]


class DebtorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Debtor.Kind.choices)
    id_number_masked = serializers.CharField()


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    portfolio = PortfolioRefSerializer()
    creditor = CreditorRefSerializer(source="portfolio.creditor")
    debtor = DebtorRefSerializer()
    assigned_to = UserRefSerializer(allow_null=True)
    team_id = serializers.IntegerField(allow_null=True)
    stage = serializers.ChoiceField(choices=STAGES)
    stage_changed_at = serializers.DateTimeField(allow_null=True)
    next_action_date = serializers.DateField(allow_null=True)
    locals().update(money_fields("total_balance"))
    max_dpd = serializers.IntegerField()
    bucket = serializers.CharField()
    tags = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, case: Case) -> list[str]:
        return [tag.name for tag in case.tags.all()]


class CaseDetailOut(CaseOut):
    team = TeamRefSerializer(allow_null=True)
    debts = DebtOut(many=True)
    contact_points = ContactPointSerializer(many=True, source="debtor.contact_points")
    allowed_stages = serializers.SerializerMethodField()

    def get_allowed_stages(self, case: Case) -> list[str]:
        return sorted(s.value for s in stages.allowed_targets(case.stage))


class CaseListQuery(serializers.Serializer):
    stage = serializers.ChoiceField(choices=STAGES, required=False)
    bucket = serializers.CharField(required=False, max_length=4, help_text="M0, M1 ... M7")
    creditor = IdField(required=False)
    portfolio = IdField(required=False)
    assigned_to = IdField(required=False, help_text="Assignee user id")
    unassigned = serializers.BooleanField(required=False, help_text="Only cases without an assignee")
    next_action_before = DateInputField(required=False, help_text="Next action on or before this date")
    min_balance = AmountField(required=False, help_text="Total balance at least (yuan)")
    max_balance = AmountField(required=False, help_text="Total balance at most (yuan)")
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Name or contract no. contains, or exact ID number / phone (blind index)",
    )
    tag = serializers.CharField(required=False, max_length=40)
    sort = serializers.ChoiceField(choices=sorted(selectors.SORTS), required=False, default="next_action")


class StageIn(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=STAGES)
    reason = serializers.CharField(max_length=1000)
    business_date = DateInputField(required=False, allow_null=True, default=None)


class NextActionIn(serializers.Serializer):
    next_action_date = DateInputField(allow_null=True, help_text="null clears it")


class AssignIn(serializers.Serializer):
    case_ids = serializers.ListField(child=IdField(), min_length=1, max_length=5000)
    assignee_id = IdField(allow_null=True, help_text="A collector or legal officer; null unassigns")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AssignOut(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many cases changed assignee")


class StageChangeOut(serializers.Serializer):
    id = serializers.IntegerField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    business_date = serializers.DateField()
    reason = serializers.CharField()
    actor = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class TimelineEntryOut(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["activity", "payment", "promise", "stage"])
    activity = serializers.SerializerMethodField()
    payment = serializers.SerializerMethodField()
    promise = serializers.SerializerMethodField()
    stage_change = serializers.SerializerMethodField()

    def _one(self, entry: selectors.TimelineEntry, kind: str, serializer: type) -> dict | None:
        return serializer(entry.obj).data if entry.kind == kind else None

    @extend_schema_field(ActivityOut(allow_null=True))
    def get_activity(self, entry: selectors.TimelineEntry) -> dict | None:
        return self._one(entry, "activity", ActivityOut)

    @extend_schema_field(PaymentOut(allow_null=True))
    def get_payment(self, entry: selectors.TimelineEntry) -> dict | None:
        return self._one(entry, "payment", PaymentOut)

    @extend_schema_field(PromiseOut(allow_null=True))
    def get_promise(self, entry: selectors.TimelineEntry) -> dict | None:
        return self._one(entry, "promise", PromiseOut)

    @extend_schema_field(StageChangeOut(allow_null=True))
    def get_stage_change(self, entry: selectors.TimelineEntry) -> dict | None:
        return self._one(entry, "stage", StageChangeOut)


def _case_out(user: object, case_id: int) -> dict:
    return CaseDetailOut(selectors.case_detail(user=user, case_id=case_id)).data


class CaseListView(ApiView):
    @extend_schema(
        operation_id="cases_list",
        tags=TAGS,
        summary="The case queue: cases visible to the user, filtered, searched and sorted",
        parameters=[CaseListQuery],
        responses={200: CaseOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(CaseListQuery, request)
        filters = selectors.QueueFilters(
            stage=params.get("stage", ""),
            bucket=params.get("bucket", ""),
            creditor_id=params.get("creditor"),
            portfolio_id=params.get("portfolio"),
            assigned_to_id=params.get("assigned_to"),
            unassigned=params.get("unassigned", False),
            next_action_before=params.get("next_action_before"),
            min_balance_fen=params.get("min_balance"),
            max_balance_fen=params.get("max_balance"),
            q=params.get("q", ""),
            tag=params.get("tag", ""),
            sort=params["sort"],
        )
        qs = selectors.case_queue(user=request.user, filters=filters).prefetch_related("tags")
        return self.paginated(qs, CaseOut)


class CaseDetailView(ApiView):
    @extend_schema(
        operation_id="cases_retrieve",
        tags=TAGS,
        summary="One case with its debtor (masked), debts and the stages it may move to",
        responses={200: CaseDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_case_out(request.user, pk))


class CaseStageView(ApiView):
    capabilities = {"POST": roles.CHANGE_STAGE}

    @extend_schema(
        operation_id="cases_stage",
        tags=TAGS,
        summary="Move the case to another stage (cases.change_stage; reason required)",
        request=StageIn,
        responses={200: CaseDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        selectors.case_get_for_user(user=request.user, case_id=pk)
        data = body(StageIn, request)
        with api_write():
            services.case_change_stage(actor=request.user, case_id=pk, **data)
        return Response(_case_out(request.user, pk))


class CaseNextActionView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="cases_next_action",
        tags=TAGS,
        summary="Set or clear the next action date (cases.work)",
        request=NextActionIn,
        responses={200: CaseDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        selectors.case_get_for_user(user=request.user, case_id=pk)
        data = body(NextActionIn, request)
        with api_write():
            services.case_set_next_action(
                actor=request.user, case_id=pk, next_action_date=data["next_action_date"]
            )
        return Response(_case_out(request.user, pk))


class CaseAssignView(ApiView):
    capabilities = {"POST": roles.ASSIGN}

    @extend_schema(
        operation_id="cases_assign",
        tags=TAGS,
        summary="Assign or unassign cases in bulk (cases.assign)",
        request=AssignIn,
        responses={200: AssignOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(AssignIn, request)
        assignee = None
        if data["assignee_id"] is not None:
            assignee = User.objects.select_related("team").filter(pk=data["assignee_id"]).first()
            if assignee is None:
                raise DomainError(
                    "assignee_invalid",
                    "分配对象不存在",
                    "No such user to assign to",
                    fields={"assignee_id": [str(data["assignee_id"])]},
                )
        with api_write():
            changed = services.cases_assign(
                actor=request.user, case_ids=data["case_ids"], assignee=assignee, reason=data["reason"]
            )
        return Response(AssignOut({"changed": changed}).data)


class CaseTimelineView(ApiView):
    pagination_class = None  # type: ignore[assignment]

    @extend_schema(
        operation_id="cases_timeline",
        tags=TAGS,
        summary="Activities, payments, promises and stage changes of one case, newest first",
        responses={200: TimelineEntryOut(many=True), **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for_user(user=request.user, case_id=pk)
        entries = selectors.case_timeline(case=case)
        reversed_by = dict(
            Payment.objects.filter(case=case, reversal_of__isnull=False).values_list("reversal_of_id", "id")
        )
        for entry in entries:
            if entry.kind == "payment":
                entry.obj.reversed_by_id = reversed_by.get(entry.obj.pk)
        return Response(TimelineEntryOut(entries, many=True).data)
