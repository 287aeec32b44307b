"""Every step of the crime-source workflow under /api/v1/sources/."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from pctp.core.api import BlankChoicesMixin, DateTimeField, query_date, requires
from pctp.core.errors import DomainError
from pctp.core.extensions import pending_request
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.models import User
from pctp.sources import services as s
from pctp.sources.models import (
    Channel,
    DeclineGround,
    Kind,
    ReporterType,
    Source,
    SuspendGround,
)
from pctp.sources.selectors import QUEUES, source_get, source_list
from pctp.units.models import Commune, Unit


class SourceSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    register_code = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    holder = serializers.CharField(source="holder.code", read_only=True)
    procuracy = serializers.CharField(source="procuracy.code", read_only=True, default=None,
                                      allow_null=True)
    commune = serializers.CharField(source="commune.code", read_only=True, default=None,
                                    allow_null=True)
    article = serializers.CharField(source="offence.article", read_only=True, default=None,
                                    allow_null=True)
    clause = serializers.IntegerField(source="clause.clause", read_only=True, default=None,
                                      allow_null=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None,
                                     allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "register_code", "unit", "holder", "procuracy", "kind", "channel", "status",
                  "received_at", "occurred_at", "commune", "address", "lat", "lon", "summary",
                  "content", "reporter_type", "confidential", "article", "clause", "severity",
                  "crime_group", "urgent", "classified_at", "assignee", "clock_rule",
                  "clock_start", "extensions", "due_date", "late_days", "notice_due", "forward_due",
                  "procuracy_notified_at", "reporter_notified_at", "outcome", "decided_at",
                  "decision_number", "decline_ground", "suspend_ground", "transferred_to",
                  "merged_into"]
        read_only_fields = fields


class ReceiveSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="receiving unit code")
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    summary = serializers.CharField(max_length=300)
    content = serializers.CharField()
    received_at = DateTimeField(required=False, allow_null=True)
    occurred_at = DateTimeField(required=False, allow_null=True)
    commune = serializers.CharField(required=False, allow_blank=True, help_text="commune code")
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    reporter_type = serializers.ChoiceField(choices=ReporterType.choices)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter_personal_id = serializers.CharField(required=False, allow_blank=True, max_length=12)
    reporter_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter_agency = serializers.CharField(required=False, allow_blank=True, max_length=200)
    confidential = serializers.BooleanField(default=False)
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)

    def validate_reporter_personal_id(self, value):
        if value:
            try:
                parse_personal_id(value)
            except PersonalIdError as exc:
                raise serializers.ValidationError(str(exc)) from None
        return value

    def validate_unit(self, value):
        unit = Unit.objects.filter(code=value).first()
        if unit is None:
            raise serializers.ValidationError(_("No such unit."))
        return unit

    def validate_commune(self, value):
        if not value:
            return None
        commune = Commune.objects.filter(code=value).first()
        if commune is None:
            raise serializers.ValidationError(_("No such commune."))
        return commune


class ClassifySerializer(serializers.Serializer):
    article = serializers.CharField(max_length=6)
    clause = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    urgent = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReclassifySerializer(serializers.Serializer):
    article = serializers.CharField(max_length=6)
    clause = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reason = serializers.CharField()


class TransferSerializer(serializers.Serializer):
    to_unit = serializers.CharField(help_text="unit code")
    reason = serializers.CharField()


class AssignSerializer(serializers.Serializer):
    investigator = serializers.CharField(help_text="username")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CancelDeclineSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True,
                               help_text="the day of the procuracy's decision (default today)")


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ExtendSerializer(ReasonSerializer):
    record_late = serializers.BooleanField(
        default=False, help_text="record a decision taken after the limit expired, flagged, "
                                 "the days past it counted as overdue")


class InitiateSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=DeclineGround.choices)
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField()


class SuspendSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=SuspendGround.choices)
    decision_number = serializers.CharField(max_length=60)
    note = serializers.CharField()


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NotifySerializer(serializers.Serializer):
    recipient = serializers.ChoiceField(choices=["procuracy", "reporter"])


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField()
    record_late = serializers.BooleanField(default=False)


class IdentitySerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    personal_id = serializers.CharField(allow_blank=True)
    contact = serializers.CharField(allow_blank=True)
    agency = serializers.CharField(allow_blank=True)


LIST_PARAMS = [OpenApiParameter("queue", str, enum=list(QUEUES))] + [
    OpenApiParameter(n, str) for n in ("kind", "channel", "commune", "group", "status", "q",
                                       "date_from", "date_to")]


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Crime sources in the caller's scope; POST to receive; POST to /{id}/{step}/ to act."""

    serializer_class = SourceSerializer
    permission_classes = [requires("sources.view_source")]

    def get_queryset(self):
        p = self.request.query_params
        return source_list(
            user=self.request.user, queue=p.get("queue", "all") if p.get("queue") in QUEUES else "all",
            kind=p.get("kind", ""), channel=p.get("channel", ""), commune=p.get("commune", ""),
            group=p.get("group", ""), status=p.get("status", ""),
            date_from=query_date(p, "date_from"),
            date_to=query_date(p, "date_to"),
            query=p.get("q", ""))

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            return source_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (Source.DoesNotExist, ValueError):
            raise NotFound() from None

    def _done(self, source, code=status.HTTP_200_OK):
        source = source_get(user=self.request.user, pk=source.pk)
        return Response(SourceSerializer(source).data, status=code)

    @extend_schema(request=ReceiveSerializer, responses={201: SourceSerializer})
    def create(self, request):
        data = _valid(ReceiveSerializer, request)
        reporter = s.Reporter(type=data["reporter_type"], name=data.get("reporter_name", ""),
                              personal_id=data.get("reporter_personal_id", ""),
                              contact=data.get("reporter_contact", ""),
                              agency=data.get("reporter_agency", ""),
                              confidential=data["confidential"])
        source = s.source_receive(
            actor=request.user, unit=data["unit"], kind=data["kind"], channel=data["channel"],
            summary=data["summary"], content=data["content"], reporter=reporter,
            received_at=data.get("received_at"), occurred_at=data.get("occurred_at"),
            commune=data.get("commune"), address=data.get("address", ""), lat=data.get("lat"),
            lon=data.get("lon"), client_token=data.get("client_token") or None)
        return self._done(source, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self._done(s.source_forward(actor=request.user, source=self.get_object()))

    @extend_schema(request=ClassifySerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        d = _valid(ClassifySerializer, request)
        return self._done(s.source_classify(actor=request.user, source=self.get_object(), **d))

    @extend_schema(request=ReclassifySerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        """Correct the offence during verification, with the reason."""
        d = _valid(ReclassifySerializer, request)
        return self._done(s.source_reclassify(actor=request.user, source=self.get_object(), **d))

    @extend_schema(request=TransferSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        d = _valid(TransferSerializer, request)
        unit = Unit.objects.current().filter(code=d["to_unit"]).first()
        if unit is None:
            raise DomainError("invalid", _("No such receiving unit."), details={"to_unit": ["?"]})
        return self._done(s.source_transfer(actor=request.user, source=self.get_object(),
                                            to_unit=unit, reason=d["reason"]))

    @extend_schema(request=None, responses={201: SourceSerializer})
    @action(detail=True, methods=["post"], url_path="accept-transfer")
    def accept_transfer(self, request, pk=None):
        accepted = s.source_accept_transfer(actor=request.user, source=self.get_object())
        return self._done(accepted, status.HTTP_201_CREATED)

    @extend_schema(request=AssignSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        d = _valid(AssignSerializer, request)
        investigator = User.objects.filter(username=d["investigator"], is_active=True).first()
        if investigator is None:
            raise DomainError("invalid", _("No such user."), details={"investigator": ["?"]})
        return self._done(s.source_assign(actor=request.user, source=self.get_object(),
                                          investigator=investigator, note=d["note"]))

    @extend_schema(request=TextSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        d = _valid(TextSerializer, request)
        source = self.get_object()
        s.source_note(actor=request.user, source=source, text=d["text"])
        return self._done(source)

    @extend_schema(request=NotifySerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        d = _valid(NotifySerializer, request)
        return self._done(s.source_notify(actor=request.user, source=self.get_object(),
                                          recipient=d["recipient"]))

    @extend_schema(request=ExtendSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        d = _valid(ExtendSerializer, request)
        return self._done(s.source_extend(actor=request.user, source=self.get_object(),
                                          reason=d["reason"], record_late=d["record_late"]))

    @extend_schema(request=ReasonSerializer, responses={201: SourceSerializer})
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        d = _valid(ReasonSerializer, request)
        source = self.get_object()
        s.source_request_extension(actor=request.user, source=source, reason=d["reason"])
        return self._done(source, status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionDecisionSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        d = _valid(ExtensionDecisionSerializer, request)
        source = self.get_object()
        s.extension_decide(actor=request.user, request=pending_request(source.extension_requests),
                           approve=d["approve"], note=d["note"], record_late=d["record_late"])
        return self._done(source)

    @extend_schema(request=InitiateSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def initiate(self, request, pk=None):
        d = _valid(InitiateSerializer, request)
        return self._done(s.source_initiate(actor=request.user, source=self.get_object(), **d))

    @extend_schema(request=DeclineSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        d = _valid(DeclineSerializer, request)
        return self._done(s.source_decline(actor=request.user, source=self.get_object(), **d))

    @extend_schema(request=SuspendSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        d = _valid(SuspendSerializer, request)
        return self._done(s.source_suspend(actor=request.user, source=self.get_object(), **d))

    @extend_schema(request=TextSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-suspension")
    def cancel_suspension(self, request, pk=None):
        d = _valid(TextSerializer, request)
        return self._done(s.source_cancel_suspension(actor=request.user, source=self.get_object(),
                                                     note=d["text"]))

    @extend_schema(request=CancelDeclineSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-decline")
    def cancel_decline(self, request, pk=None):
        """The procuracy cancels the decision not to initiate and initiates the case."""
        d = _valid(CancelDeclineSerializer, request)
        return self._done(s.source_cancel_decline(actor=request.user, source=self.get_object(),
                                                  **d))

    @extend_schema(request=TextSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        d = _valid(TextSerializer, request)
        return self._done(s.source_resume(actor=request.user, source=self.get_object(),
                                          note=d["text"]))

    @extend_schema(request=MergeSerializer, responses=SourceSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        d = _valid(MergeSerializer, request)
        source = self.get_object()
        try:
            into = source_get(user=request.user, pk=d["into"])
        except Source.DoesNotExist:
            raise NotFound() from None
        return self._done(s.source_merge(actor=request.user, source=source, into=into,
                                         note=d["note"]))

    @extend_schema(request=None, responses=IdentitySerializer)
    @action(detail=True, methods=["get"])
    def identity(self, request, pk=None):
        """The reporter's identity, for those handling the source. Every call is logged."""
        source = self.get_object()
        return Response(s.source_reporter_identity(actor=request.user, source=source,
                                                   purpose="api"))


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


