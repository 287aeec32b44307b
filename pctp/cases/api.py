"""Every step of the criminal-case workflow under /api/v1/cases/."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from pctp.cases import appeals
from pctp.cases import services as s
from pctp.cases.models import (
    Accused,
    Appeal,
    Case,
    Charge,
    CriminalGroup,
    DetectionMethod,
    Extension,
    GroupMember,
    Measure,
    MeasureExtension,
    Origin,
    Recovery,
    Referral,
    Sex,
    SuspendGround,
    TerminateGround,
)
from pctp.cases.selectors import (
    QUEUES,
    appeal_scope,
    case_get,
    case_list,
    case_scope,
    group_cases,
    group_list,
    group_scope,
    measure_list,
    propose_groups,
)
from pctp.core.api import (
    BlankChoicesMixin,
    DateTimeField,
    DayOrMomentField,
    query_date,
    requires,
)
from pctp.core.errors import DomainError
from pctp.core.extensions import pending_request
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.models import User
from pctp.core.money import money_serializer_field
from pctp.law.services import one_calendar
from pctp.units.models import Commune, Unit


def _unit(code: str, field: str) -> Unit:
    unit = Unit.objects.current().filter(code=code).first()
    if unit is None:
        raise DomainError("invalid", _("No such unit."), details={field: [_("Wrong unit code.")]})
    return unit


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ----------------------------------------------------------------------------- read shapes

class ChargeSerializer(serializers.ModelSerializer):
    article = serializers.CharField(source="offence.article", read_only=True)
    clause = serializers.IntegerField(source="clause.clause", read_only=True)
    title = serializers.CharField(source="offence.title", read_only=True)

    class Meta:
        model = Charge
        fields = ["article", "clause", "title", "severity"]
        read_only_fields = fields


class AccusedSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """An accused without identity: the identity is at /cases/{id}/identities/ (logged)."""

    charges = ChargeSerializer(many=True, read_only=True)

    class Meta:
        model = Accused
        fields = ["id", "position", "sex", "birth_year", "is_lead", "charged_on", "sentence",
                  "verdict", "verdict_on", "charges"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    from_unit = serializers.CharField(source="from_unit.code", read_only=True)
    to_unit = serializers.CharField(source="to_unit.code", read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = ["id", "kind", "from_unit", "to_unit", "document_number", "sent_on",
                  "received_on", "due_date", "closed_on", "outcome", "on_time"]
        read_only_fields = fields


class AppealSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    accused = serializers.IntegerField(source="accused_id", read_only=True, allow_null=True)

    class Meta:
        model = Appeal
        fields = ["id", "case", "kind", "appellant", "accused", "document_number",
                  "judgment_number", "judgment_on", "filed_on",
                  "grounds", "late_reason", "due_date", "decided_on", "decision_number",
                  "outcome", "reason", "decision_note"]
        read_only_fields = fields


class CaseSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    register_code = serializers.CharField(read_only=True)
    investigation_body = serializers.CharField(source="investigation_body.code", read_only=True)
    procuracy = serializers.CharField(source="procuracy.code", read_only=True)
    court = serializers.CharField(source="court.code", read_only=True, default=None,
                                  allow_null=True)
    investigator = serializers.CharField(source="investigator.username", read_only=True,
                                         default=None, allow_null=True)
    commune = serializers.CharField(source="commune.code", read_only=True, default=None,
                                    allow_null=True)
    lead_article = serializers.CharField(source="lead_offence.article", read_only=True,
                                         default=None, allow_null=True)
    lead_clause = serializers.IntegerField(source="lead_clause.clause", read_only=True,
                                           default=None, allow_null=True)

    class Meta:
        model = Case
        fields = ["id", "register_code", "investigation_body", "procuracy", "court",
                  "investigator", "source", "origin", "decision_number", "initiated_on",
                  "summary", "occurred_at", "occurred_on", "commune", "address", "lat", "lon",
                  "lead_article", "lead_clause", "severity", "crime_group", "status",
                  "status_since", "clock_rule", "clock_start", "clock_extensions", "due_date", "late_days",
                  "procuracy_returns", "judge_returns", "panel_returns", "detected_on",
                  "detection_method", "suspend_ground", "terminate_ground", "closed_on",
                  "trial_on", "judgment_number", "judgment_on", "value_lost", "recovery_ordered"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    accused = AccusedSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "accused", "referrals", "appeals"]
        read_only_fields = fields


class CaseIdentitySerializer(serializers.Serializer):
    accused = serializers.IntegerField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    personal_id = serializers.CharField(allow_blank=True)
    birth_date = serializers.CharField(allow_blank=True)
    residence = serializers.CharField(allow_blank=True)


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "rule", "number", "requested_on", "reason", "state", "decided_on",
                  "decision_note", "due_before", "due_after", "granted_level",
                  "authority_document", "late", "gap_days"]
        read_only_fields = fields


class MeasureExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureExtension
        fields = ["id", "number", "requested_on", "requested_at", "reason", "state",
                  "decided_on", "decided_at", "decision_note", "due_before", "due_after",
                  "granted_level", "authority_document", "late", "gap_days"]
        read_only_fields = fields


class MeasureSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_code = serializers.CharField(source="case.register_code", read_only=True)
    accused_position = serializers.IntegerField(source="accused.position", read_only=True)
    ordered_by_unit = serializers.CharField(source="ordered_by_unit.code", read_only=True)
    alert = serializers.SerializerMethodField()
    extension_rows = MeasureExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "case", "case_code", "accused", "accused_position", "kind", "order_number",
                  "ordered_by_unit", "start_on", "start_at", "severity", "extensions",
                  "deducted_days", "due_date", "due_at", "late_days", "hours_past",
                  "released_on", "released_at", "release_note", "alert", "extension_rows",
                  "stored_due_date", "limit_mismatch"]
        read_only_fields = fields

    stored_due_date = serializers.SerializerMethodField(
        help_text="the limit as stored; due_date is the law's, computed again, where earlier")
    limit_mismatch = serializers.SerializerMethodField(
        help_text="the stored limit differs from the law's (shown in check-lawful)")

    def to_representation(self, instance):
        from pctp.cases.services import measure_checked

        return super().to_representation(measure_checked(instance))

    def get_stored_due_date(self, obj) -> date:
        return obj.stored_due_date

    def get_limit_mismatch(self, obj) -> bool:
        return obj.limit_mismatch

    hours_past = serializers.SerializerMethodField(
        help_text="hours held past the limit now (0 within it)")
    due_at = serializers.SerializerMethodField(help_text="the instant the limit expires")

    def get_alert(self, obj) -> str:
        from django.utils import timezone

        return obj.alert(timezone.now())

    def get_hours_past(self, obj) -> float:
        from django.utils import timezone

        return round(obj.hours_past(timezone.now()), 1) if obj.active else 0.0

    def get_due_at(self, obj) -> str:
        from django.utils import timezone

        return timezone.localtime(obj.expires_at()).isoformat()


class RecoverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Recovery
        fields = ["id", "kind", "amount", "on", "stage", "description", "realises"]
        read_only_fields = fields


class GroupMemberSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="accused.case_id", read_only=True)
    position = serializers.IntegerField(source="accused.position", read_only=True)

    class Meta:
        model = GroupMember
        fields = ["id", "accused", "case", "position", "is_leader", "added_on"]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    members = GroupMemberSerializer(many=True, read_only=True)
    cases = serializers.SerializerMethodField()

    class Meta:
        model = CriminalGroup
        fields = ["id", "name", "unit", "status", "dangerous", "note", "members", "cases"]
        read_only_fields = fields

    def get_cases(self, obj) -> list[int]:
        user = self.context["request"].user
        return list(group_cases(user=user, group=obj).values_list("pk", flat=True)[:500])


class ProposalSerializer(serializers.Serializer):
    accused = serializers.ListField(child=serializers.IntegerField())
    cases = serializers.ListField(child=serializers.IntegerField())
    registered = serializers.ListField(child=serializers.IntegerField())


# ----------------------------------------------------------------------------- write shapes

class CaseChargeInputSerializer(serializers.Serializer):
    article = serializers.CharField(max_length=6)
    clause = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class CaseInitiateSerializer(serializers.Serializer):
    investigation_body = serializers.CharField(help_text="unit code of the investigation body")
    origin = serializers.ChoiceField(choices=Origin.choices,
                                     help_text="not 'source': open those with /from-source/")
    decision_number = serializers.CharField(max_length=60)
    summary = serializers.CharField(max_length=300)
    charges = CaseChargeInputSerializer(many=True)
    initiated_on = serializers.DateField(required=False, allow_null=True)
    occurred_at = DateTimeField(required=False, allow_null=True)
    commune = serializers.CharField(required=False, allow_blank=True, help_text="commune code")
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    procuracy = serializers.CharField(required=False, allow_blank=True, help_text="unit code")
    investigator = serializers.CharField(required=False, allow_blank=True, help_text="username")
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)

    def validate_origin(self, value):
        if value == Origin.SOURCE:
            raise serializers.ValidationError(_("A case from a crime source is opened with "
                                                "/cases/from-source/."))
        return value


class CaseFromSourceSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="id of a crime source decided 'initiate'")
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=300)
    charges = CaseChargeInputSerializer(many=True, required=False)
    initiated_on = serializers.DateField(required=False, allow_null=True)
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)


class CaseAssignSerializer(serializers.Serializer):
    investigator = serializers.CharField(help_text="username")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseAccusedInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    sex = serializers.ChoiceField(choices=Sex.choices)
    personal_id = serializers.CharField(required=False, allow_blank=True, max_length=12,
                                        default="")
    birth_date = serializers.DateField(required=False, allow_null=True)
    residence = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                      default="")
    charges = CaseChargeInputSerializer(many=True)
    is_lead = serializers.BooleanField(default=False)
    charged_on = serializers.DateField(required=False, allow_null=True)

    def validate_personal_id(self, value):
        if value:
            try:
                parse_personal_id(value)
            except PersonalIdError as exc:
                raise serializers.ValidationError(str(exc)) from None
        return value


class CaseAddChargeSerializer(CaseChargeInputSerializer):
    accused = serializers.IntegerField(help_text="id of the accused")


class CaseAccusedRefSerializer(serializers.Serializer):
    accused = serializers.IntegerField(help_text="id of the accused")


class CaseDetectSerializer(serializers.Serializer):
    on = serializers.DateField()
    method = serializers.ChoiceField(choices=DetectionMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True)


class CaseExtendSerializer(CaseReasonSerializer):
    record_late = serializers.BooleanField(
        default=False, help_text="record a decision taken after the limit expired, flagged, "
                                 "the days past it counted as overdue")


class MeasureReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    on = DayOrMomentField(required=False, allow_null=True,
                          help_text="YYYY-MM-DD, or YYYY-MM-DDTHH:MM for custody")
    record_late = serializers.BooleanField(default=False)


LEVELS = [("", "the acting procuracy's own"), ("supreme", "Supreme People's Procuracy")]


class CaseDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True)
    granted_level = serializers.ChoiceField(
        choices=LEVELS, required=False, default="",
        help_text="a higher procuracy's decision recorded by the acting one")
    authority_document = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                               default="")
    record_late = serializers.BooleanField(default=False)


class MeasureDecideSerializer(CaseDecideSerializer):
    on = DayOrMomentField(required=False, allow_null=True,
                          help_text="YYYY-MM-DD, or YYYY-MM-DDTHH:MM for custody")


class CaseSuspendSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=SuspendGround.choices)
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True)


class CaseTerminateSerializer(CaseSuspendSerializer):
    ground = serializers.ChoiceField(choices=TerminateGround.choices)


class CaseNumberSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True)


class CaseDocumentSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True)


class CaseIndictSerializer(CaseDocumentSerializer):
    court = serializers.CharField(required=False, allow_blank=True, help_text="unit code")


class CaseReturnSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    reason = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True)


class CaseOnSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)


class CaseCommitSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    trial_on = serializers.DateField()
    force_majeure = serializers.BooleanField(default=False)
    on = serializers.DateField(required=False, allow_null=True)


class CaseOpenTrialSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True)


class CaseSentenceSerializer(serializers.Serializer):
    accused = serializers.IntegerField()
    sentence = serializers.CharField(max_length=300)


class CaseJudgmentSerializer(serializers.Serializer):
    judgment_number = serializers.CharField(max_length=60)
    summary = serializers.CharField()
    recovery_ordered = money_serializer_field(required=False, allow_null=True)
    sentences = CaseSentenceSerializer(many=True, required=False)
    detain = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                   help_text="ids of defendants kept in detention (Art. 329)")
    acquitted = serializers.ListField(child=serializers.IntegerField(), required=False,
                                      default=list, help_text="ids of defendants declared not "
                                                              "guilty (released at the hearing)")
    exempted = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     default=list, help_text="ids of defendants exempted from "
                                                             "criminal responsibility or penalty")
    on = serializers.DateField(required=False, allow_null=True)


class CaseAppealInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Appeal.Kind.choices)
    appellant = serializers.ChoiceField(
        choices=[c for c in Appeal.Appellant.choices if not c[0].endswith("procuracy")],
        required=False, help_text="who appeals (an appeal by a party)")
    accused = serializers.IntegerField(required=False, allow_null=True, default=None)
    document_number = serializers.CharField(max_length=60)
    grounds = serializers.CharField(max_length=5000)
    late_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, help_text="filed on")


class AppealDecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Appeal.Outcome.choices)
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    reason = serializers.ChoiceField(choices=Appeal.Reason.choices, required=False,
                                     allow_blank=True, default="")
    acquitted = serializers.ListField(child=serializers.IntegerField(), required=False,
                                      default=list)
    ground = serializers.ChoiceField(choices=TerminateGround.choices, required=False,
                                     allow_blank=True, default="")
    retrial_at = serializers.ChoiceField(choices=["court", "investigation"], required=False,
                                         default="court")
    on = serializers.DateField(required=False, allow_null=True)


class CaseMeasureInputSerializer(serializers.Serializer):
    accused = serializers.IntegerField(help_text="id of the accused")
    kind = serializers.ChoiceField(
        choices=[*Measure.Kind.choices, ("detention", "the detention this stage allows")])
    order_number = serializers.CharField(max_length=60)
    start_on = DayOrMomentField(help_text="YYYY-MM-DD, or YYYY-MM-DDTHH:MM: custody runs from "
                                          "the hour the person was received")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReleaseSerializer(serializers.Serializer):
    released_on = DayOrMomentField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseValueSerializer(serializers.Serializer):
    value_lost = money_serializer_field(help_text="VND")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseRecoveryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Recovery.Kind.choices)
    amount = money_serializer_field(help_text="VND")
    on = serializers.DateField()
    description = serializers.CharField(max_length=300)
    realises = serializers.IntegerField(required=False, allow_null=True,
                                        help_text="id of a seizure or freeze it realises")


class CaseGroupInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(help_text="unit code")
    status = serializers.ChoiceField(choices=CriminalGroup.Status.choices,
                                     default=CriminalGroup.Status.MONITORED)
    dangerous = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    accused = serializers.ListField(child=serializers.IntegerField(), default=list)
    leaders = serializers.ListField(child=serializers.IntegerField(), default=list)


class CaseGroupUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CriminalGroup.Status.choices)
    dangerous = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    leaders = serializers.ListField(child=serializers.IntegerField(), required=False)


class CaseMemberInputSerializer(serializers.Serializer):
    accused = serializers.IntegerField()
    is_leader = serializers.BooleanField(default=False)


LIST_PARAMS = [OpenApiParameter("queue", str, enum=list(QUEUES))] + [
    OpenApiParameter(n, str) for n in ("status", "group", "severity", "commune", "q",
                                       "date_from", "date_to")]


def _charges(items) -> list[s.ChargeInput]:
    return [s.ChargeInput(c["article"], c.get("clause")) for c in items]


# ----------------------------------------------------------------------------- cases

class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Criminal cases in the caller's scope; POST to initiate; POST /{id}/{step}/ to act."""

    serializer_class = CaseSerializer
    permission_classes = [requires("cases.view_case")]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        p = self.request.query_params
        queue = p.get("queue", "all")
        return case_list(
            user=self.request.user, queue=queue if queue in QUEUES else "all",
            status=p.get("status", ""), group=p.get("group", ""), severity=p.get("severity", ""),
            commune=p.get("commune", ""), query=p.get("q", ""),
            date_from=query_date(p, "date_from"),
            date_to=query_date(p, "date_to"))

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(CaseDetailSerializer(self.get_object()).data)

    def get_object(self):
        try:
            return case_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (Case.DoesNotExist, ValueError):
            raise NotFound() from None

    def _done(self, case, code=status.HTTP_200_OK):
        case = case_get(user=self.request.user, pk=case.pk)
        return Response(CaseDetailSerializer(case).data, status=code)

    def _accused(self, case: Case, pk: int) -> Accused:
        row = case.accused.filter(pk=pk).first()
        if row is None:
            raise DomainError("invalid", _("The accused does not belong to this case."),
                              details={"accused": [_("No such accused in the case.")]})
        return row

    @extend_schema(request=CaseInitiateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request):
        d = _valid(CaseInitiateSerializer, request)
        commune = None
        if d.get("commune"):
            commune = Commune.objects.filter(code=d["commune"]).first()
            if commune is None:
                raise DomainError("invalid", _("No such commune."),
                                  details={"commune": [_("Wrong code of the commune.")]})
        investigator = None
        if d.get("investigator"):
            investigator = User.objects.filter(username=d["investigator"], is_active=True).first()
            if investigator is None:
                raise DomainError("invalid", _("No such user."),
                                  details={"investigator": ["?"]})
        case = s.case_initiate(
            actor=request.user, investigation_body=_unit(d["investigation_body"],
                                                         "investigation_body"),
            decision_number=d["decision_number"], summary=d["summary"],
            charges=_charges(d["charges"]), initiated_on=d.get("initiated_on"),
            origin=d["origin"], occurred_at=d.get("occurred_at"), commune=commune,
            address=d.get("address", ""), lat=d.get("lat"), lon=d.get("lon"),
            procuracy=_unit(d["procuracy"], "procuracy") if d.get("procuracy") else None,
            investigator=investigator, client_token=d.get("client_token") or None)
        return self._done(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseFromSourceSerializer, responses={201: CaseDetailSerializer})
    @action(detail=False, methods=["post"], url_path="from-source")
    def from_source(self, request):
        from pctp.sources.models import Source
        from pctp.sources.selectors import source_get

        d = _valid(CaseFromSourceSerializer, request)
        try:
            source = source_get(user=request.user, pk=d["source"])
        except Source.DoesNotExist:
            raise NotFound() from None
        case = s.case_initiate_from_source(
            actor=request.user, source=source, decision_number=d.get("decision_number", ""),
            summary=d.get("summary", ""),
            charges=_charges(d["charges"]) if d.get("charges") else None,
            initiated_on=d.get("initiated_on"), client_token=d.get("client_token") or None)
        return self._done(case, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CaseIdentitySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def identities(self, request, pk=None):
        """The identity of each accused, for those handling the case. Every call is logged."""
        case = self.get_object()
        if not s.can_view_identity(request.user, case):
            raise DomainError("forbidden", _("You may not see the accused's identity."),
                              status=403)
        rows = list(case.accused.select_related("case").order_by("position"))
        shown = s.accused_identities(actor=request.user, accused=rows, purpose="api")
        return Response([{"accused": a.pk, "position": a.position, **shown[a.pk]} for a in rows
                         if a.pk in shown])

    @extend_schema(request=CaseAssignSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        d = _valid(CaseAssignSerializer, request)
        investigator = User.objects.filter(username=d["investigator"], is_active=True).first()
        if investigator is None:
            raise DomainError("invalid", _("No such user."), details={"investigator": ["?"]})
        return self._done(s.case_assign(actor=request.user, case=self.get_object(),
                                        investigator=investigator, note=d["note"]))

    @extend_schema(request=CaseAccusedInputSerializer, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def accused(self, request, pk=None):
        d = _valid(CaseAccusedInputSerializer, request)
        case = self.get_object()
        person = s.Person(name=d["name"], sex=d["sex"], personal_id=d["personal_id"],
                          birth_date=d.get("birth_date"), residence=d["residence"])
        s.accused_add(actor=request.user, case=case, person=person, charges=_charges(d["charges"]),
                      is_lead=d["is_lead"], charged_on=d.get("charged_on"))
        return self._done(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseAddChargeSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def charge(self, request, pk=None):
        d = _valid(CaseAddChargeSerializer, request)
        case = self.get_object()
        s.accused_charge(actor=request.user, accused=self._accused(case, d["accused"]),
                         article=d["article"], clause=d.get("clause"))
        return self._done(case)

    @extend_schema(request=CaseAccusedRefSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="set-lead")
    def set_lead(self, request, pk=None):
        d = _valid(CaseAccusedRefSerializer, request)
        case = self.get_object()
        s.accused_set_lead(actor=request.user, accused=self._accused(case, d["accused"]))
        return self._done(case)

    @extend_schema(request=CaseDetectSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def detect(self, request, pk=None):
        d = _valid(CaseDetectSerializer, request)
        return self._done(s.case_detect(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseExtendSerializer, responses={201: ExtensionSerializer})
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        d = _valid(CaseExtendSerializer, request)
        row = s.case_request_extension(actor=request.user, case=self.get_object(),
                                       reason=d["reason"], on=d.get("on"),
                                       record_late=d["record_late"])
        return Response(ExtensionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseDecideSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        d = _valid(CaseDecideSerializer, request)
        case = self.get_object()
        row = s.case_extension_decide(actor=request.user, request=pending_request(case.extensions),
                                      approve=d["approve"],
                                      note=d["note"], on=d.get("on"),
                                      granted_level=d["granted_level"],
                                      authority_document=d["authority_document"],
                                      record_late=d["record_late"])
        return Response(ExtensionSerializer(row).data)

    @extend_schema(request=CaseExtendSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        d = _valid(CaseExtendSerializer, request)
        row = s.case_extend(actor=request.user, case=self.get_object(), reason=d["reason"],
                            on=d.get("on"), record_late=d["record_late"])
        return Response(ExtensionSerializer(row).data)

    @extend_schema(request=CaseSuspendSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        d = _valid(CaseSuspendSerializer, request)
        return self._done(s.case_suspend(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseNumberSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        d = _valid(CaseNumberSerializer, request)
        return self._done(s.case_resume(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseDocumentSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        d = _valid(CaseDocumentSerializer, request)
        case = self.get_object()
        s.case_conclude(actor=request.user, case=case, **d)
        return self._done(case)

    @extend_schema(request=CaseTerminateSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        d = _valid(CaseTerminateSerializer, request)
        return self._done(s.case_terminate(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseOnSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """The procuracy receives the file and the investigation conclusion."""
        d = _valid(CaseOnSerializer, request)
        return self._done(s.case_receive(actor=request.user, case=self.get_object(),
                                         on=d.get("on")))

    @extend_schema(request=CaseIndictSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def indict(self, request, pk=None):
        d = _valid(CaseIndictSerializer, request)
        case = self.get_object()
        court = _unit(d["court"], "court") if d.get("court") else None
        s.case_indict(actor=request.user, case=case, document_number=d["document_number"],
                      court=court, note=d["note"], on=d.get("on"))
        return self._done(case)

    @extend_schema(request=CaseReturnSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_investigation(self, request, pk=None):
        """Return for supplementary investigation (procuracy at most twice; court)."""
        d = _valid(CaseReturnSerializer, request)
        case = self.get_object()
        s.case_return(actor=request.user, case=case, **d)
        return self._done(case)

    @extend_schema(request=CaseOnSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="receive-returned")
    def receive_returned(self, request, pk=None):
        d = _valid(CaseOnSerializer, request)
        return self._done(s.case_receive_returned(actor=request.user, case=self.get_object(),
                                                  on=d.get("on")))

    @extend_schema(request=CaseSuspendSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="prosecution-suspend")
    def prosecution_suspend(self, request, pk=None):
        d = _valid(CaseSuspendSerializer, request)
        return self._done(s.case_prosecution_suspend(actor=request.user, case=self.get_object(),
                                                     **d))

    @extend_schema(request=CaseNumberSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="prosecution-resume")
    def prosecution_resume(self, request, pk=None):
        d = _valid(CaseNumberSerializer, request)
        return self._done(s.case_prosecution_resume(actor=request.user, case=self.get_object(),
                                                    **d))

    @extend_schema(request=CaseOnSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The court accepts the case (thụ lý)."""
        d = _valid(CaseOnSerializer, request)
        return self._done(s.case_accept(actor=request.user, case=self.get_object(),
                                        on=d.get("on")))

    @extend_schema(request=CaseCommitSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="commit-to-trial")
    def commit_to_trial(self, request, pk=None):
        d = _valid(CaseCommitSerializer, request)
        return self._done(s.case_commit_to_trial(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseOpenTrialSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="open-trial")
    def open_trial(self, request, pk=None):
        d = _valid(CaseOpenTrialSerializer, request)
        return self._done(s.case_open_trial(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseJudgmentSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def judgment(self, request, pk=None):
        d = _valid(CaseJudgmentSerializer, request)
        case = self.get_object()
        sentences = {x["accused"]: x["sentence"] for x in d.get("sentences", [])}
        return self._done(s.case_judgment(
            actor=request.user, case=case, judgment_number=d["judgment_number"],
            summary=d["summary"], recovery_ordered=d.get("recovery_ordered"),
            sentences=sentences, detain=d["detain"], acquitted=d["acquitted"],
            exempted=d["exempted"], on=d.get("on")))

    @extend_schema(operation_id="cases_appeal_create", request=CaseAppealInputSerializer,
                   responses={201: AppealSerializer})
    @action(detail=True, methods=["post"], url_path="appeals")
    def appeals(self, request, pk=None):
        """An appeal by a party (entered by the first-instance court) or a protest by the
        procuracy, against the first-instance judgment."""
        d = _valid(CaseAppealInputSerializer, request)
        case = self.get_object()
        if d["kind"] == Appeal.Kind.PROTEST:
            row = appeals.case_protest(actor=request.user, case=case,
                                       document_number=d["document_number"],
                                       grounds=d["grounds"], accused=d["accused"],
                                       on=d.get("on"))
        else:
            if not d.get("appellant"):
                raise DomainError("invalid", _("Choose who appeals."),
                                  details={"appellant": [_("Choose who appeals.")]})
            row = appeals.case_appeal(actor=request.user, case=case, appellant=d["appellant"],
                                      document_number=d["document_number"],
                                      grounds=d["grounds"], accused=d["accused"],
                                      late_reason=d["late_reason"], on=d.get("on"))
        return Response(AppealSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseMeasureInputSerializer, responses={201: MeasureSerializer})
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        """Order custody or detention of an accused."""
        d = _valid(CaseMeasureInputSerializer, request)
        case = self.get_object()
        measure = s.measure_order(actor=request.user, accused=self._accused(case, d["accused"]),
                                  kind=d["kind"], order_number=d["order_number"],
                                  start_on=d["start_on"], note=d["note"])
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseValueSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def value(self, request, pk=None):
        d = _valid(CaseValueSerializer, request)
        return self._done(s.case_set_value(actor=request.user, case=self.get_object(), **d))

    @extend_schema(request=CaseRecoveryInputSerializer, responses={201: RecoverySerializer})
    @action(detail=True, methods=["post"])
    def recoveries(self, request, pk=None):
        d = _valid(CaseRecoveryInputSerializer, request)
        case = self.get_object()
        realises = None
        if d.get("realises"):
            realises = case.recoveries.filter(pk=d["realises"]).first()
            if realises is None:
                raise DomainError("invalid", _("The recovery entry does not belong to this case."),
                                  details={"realises": ["?"]})
        entry = s.recovery_record(actor=request.user, case=case, kind=d["kind"],
                                  amount=d["amount"], on=d["on"], description=d["description"],
                                  realises=realises)
        return Response(RecoverySerializer(entry).data, status=status.HTTP_201_CREATED)


# ----------------------------------------------------------------------------- measures

class AppealViewSet(viewsets.ReadOnlyModelViewSet):
    """Appeals and protests against first-instance judgments in the caller's scope, the
    latest first; the appellate court records its decision on one."""

    serializer_class = AppealSerializer
    permission_classes = [requires("cases.view_case")]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return appeal_scope(self.request.user).order_by("-filed_on", "-pk")

    @extend_schema(operation_id="cases_appeal_decide", request=AppealDecisionInputSerializer,
                   responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """The appellate court's decision on the appeal or protest."""
        d = _valid(AppealDecisionInputSerializer, request)
        row = appeals.appeal_decide(actor=request.user, appeal=self.get_object(), **d)
        return Response(AppealSerializer(row).data)


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """The custody and detention register in the caller's scope, soonest expiry first."""

    serializer_class = MeasureSerializer
    permission_classes = [requires("cases.view_case")]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        p = self.request.query_params
        kind = p.get("kind", "")
        return measure_list(user=self.request.user, active=p.get("all") != "1",
                            kind=kind if kind in Measure.Kind.values else ""
                            ).prefetch_related("extension_rows")

    @extend_schema(parameters=[OpenApiParameter("kind", str, enum=Measure.Kind.values),
                               OpenApiParameter("all", str, enum=["1"])])
    def list(self, request, *args, **kwargs):
        """Soonest expiry first by the law's limit recomputed (as the register orders), not
        by the stored one (QA of issue 16)."""
        rows = s.measures_checked(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        with one_calendar():  # each row's limit is computed again: the days off read once
            data = self.get_serializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def get_object(self):
        row = Measure.objects.filter(case__in=case_scope(self.request.user).values("pk"),
                                     pk=self.kwargs.get("pk")).first()
        if row is None:
            raise NotFound()
        return row

    @extend_schema(request=MeasureReasonSerializer, responses={201: MeasureExtensionSerializer})
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        d = _valid(MeasureReasonSerializer, request)
        row = s.measure_request_extension(actor=request.user, measure=self.get_object(),
                                          reason=d["reason"], on=d.get("on"),
                                          record_late=d["record_late"])
        return Response(MeasureExtensionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureDecideSerializer, responses=MeasureExtensionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        d = _valid(MeasureDecideSerializer, request)
        pending = pending_request(self.get_object().extension_rows)
        row = s.measure_extension_decide(actor=request.user, request=pending,
                                         approve=d["approve"], note=d["note"], on=d.get("on"),
                                         granted_level=d["granted_level"],
                                         authority_document=d["authority_document"],
                                         record_late=d["record_late"])
        return Response(MeasureExtensionSerializer(row).data)

    @extend_schema(request=CaseReleaseSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        d = _valid(CaseReleaseSerializer, request)
        measure = s.measure_release(actor=request.user, measure=self.get_object(), **d)
        return Response(MeasureSerializer(measure).data)


# ----------------------------------------------------------------------------- groups

class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The register of criminal groups; /proposals/ lists groups co-accused links suggest."""

    serializer_class = GroupSerializer
    permission_classes = [requires("cases.view_case")]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return group_list(user=self.request.user).prefetch_related("members__accused")

    def get_object(self):
        group = group_scope(self.request.user).filter(pk=self.kwargs.get("pk")).first()
        if group is None:
            raise NotFound()
        return group

    def _visible(self, ids) -> list[Accused]:
        rows = list(Accused.objects.filter(pk__in=ids,
                                           case__in=case_scope(self.request.user).values("pk")))
        if len(rows) != len(set(ids)):
            raise DomainError("invalid", _("An accused does not belong to a case you may see."),
                              details={"accused": ["?"]})
        return rows

    @extend_schema(request=CaseGroupInputSerializer, responses={201: GroupSerializer})
    def create(self, request):
        d = _valid(CaseGroupInputSerializer, request)
        group = s.group_create(actor=request.user, unit=_unit(d["unit"], "unit"), name=d["name"],
                               dangerous=d["dangerous"], status=d["status"], note=d["note"],
                               members=self._visible(d["accused"]), leaders=set(d["leaders"]))
        return Response(GroupSerializer(group, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseGroupUpdateSerializer, responses=GroupSerializer)
    @action(detail=True, methods=["post"], url_path="update")
    def update_record(self, request, pk=None):
        d = _valid(CaseGroupUpdateSerializer, request)
        group = s.group_update(actor=request.user, group=self.get_object(), status=d["status"],
                               dangerous=d["dangerous"], note=d["note"],
                               leaders=set(d["leaders"]) if "leaders" in d else None)
        return Response(GroupSerializer(group, context={"request": request}).data)

    @extend_schema(request=CaseMemberInputSerializer, responses={201: GroupSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        d = _valid(CaseMemberInputSerializer, request)
        group = self.get_object()
        s.group_add_member(actor=request.user, group=group,
                           accused=self._visible([d["accused"]])[0], is_leader=d["is_leader"])
        return Response(GroupSerializer(group, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ProposalSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None,
            permission_classes=[requires("cases.manage_group")])
    def proposals(self, request):
        """Groups the register could hold: the page's permission (cases.manage_group)."""
        return Response([{"accused": [a.pk for a in p.people], "cases": [c.pk for c in p.cases],
                          "registered": [g.pk for g in p.registered]}
                         for p in propose_groups(user=request.user)[:100]])
