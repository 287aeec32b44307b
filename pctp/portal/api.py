"""The portal's API for a mobile client: submit, follow up, converse, look up warnings,
read the public statistics. No sign-in; the same rate limits as the pages; the code and
passphrase in each call."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from pctp.core.api import DateTimeField
from pctp.core.errors import DomainError
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.middleware import _client_ip
from pctp.portal import services as s
from pctp.portal.disclosure import published_statistics
from pctp.portal.models import CrimeType, FraudIndicator
from pctp.portal.selectors import indicator_lookup, plain_status
from pctp.units.models import Commune


class PortalThrottle(BaseThrottle):
    """30 calls a minute per address, counted in the database (shared by every process and
    server), the address behind the trusted proxies only (PCTP_PROXY_COUNT, not any
    X-Forwarded-For a client sends), kept as a daily keyed hash for at most a day."""

    rate = 30
    window = timedelta(minutes=1)

    def allow_request(self, request, view):
        from pctp.portal.models import Attempt

        key = "api:" + s.address_key(_client_ip(request))
        since = timezone.now() - self.window
        if Attempt.objects.filter(key=key, at__gte=since).count() >= self.rate:
            return False
        Attempt.objects.create(key=key)
        return True

    def wait(self):
        return self.window.total_seconds()


class SubmitSerializer(serializers.Serializer):
    commune = serializers.CharField(help_text="commune code")
    crime_type = serializers.ChoiceField(choices=CrimeType.choices)
    description = serializers.CharField()
    occurred_at = DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    personal_id = serializers.CharField(required=False, allow_blank=True, max_length=12)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    confidential = serializers.BooleanField(default=False)
    client_token = serializers.CharField(min_length=16, max_length=64,
                                         help_text="a random value the app keeps; a retry with "
                                                   "the same value stores one report")

    def validate_commune(self, value):
        commune = Commune.objects.filter(code=value).first()
        if commune is None:
            raise serializers.ValidationError(_("No such commune."))
        return commune

    def validate_personal_id(self, value):
        if value:
            try:
                parse_personal_id(value)
            except PersonalIdError as exc:
                raise serializers.ValidationError(str(exc)) from None
        return value


class SubmitResult(serializers.Serializer):
    tracking_code = serializers.CharField()
    passphrase = serializers.CharField(allow_null=True, help_text="shown once; a retry with the same client_token "
                                       "answers 200 with a new one (the earlier stops working)")


class CredentialsSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(max_length=20)
    passphrase = serializers.CharField(max_length=40)


class MessageOut(serializers.Serializer):
    sender = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class StatusResult(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    status_text = serializers.CharField()
    status_reason = serializers.CharField()
    messages = MessageOut(many=True)


class MessageIn(CredentialsSerializer):
    text = serializers.CharField()


class LookupResult(serializers.Serializer):
    found = serializers.BooleanField()
    report_count = serializers.IntegerField()
    last_seen = serializers.DateField(allow_null=True)


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalThrottle]


def _status(report) -> dict:
    return {"tracking_code": report.tracking_code, "status": report.status,
            "status_text": plain_status(report), "status_reason": report.status_reason,
            "messages": MessageOut(report.messages.all(), many=True).data}


class SubmitView(_Public):
    @extend_schema(request=SubmitSerializer, responses={201: SubmitResult})
    def post(self, request):
        ser = SubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        identity = (s.Identity(name=d.get("name", ""), personal_id=d.get("personal_id", ""),
                               contact=d.get("contact", "")) if d.get("name") else None)
        report, passphrase = s.portal_submit(
            commune=d["commune"], crime_type=d["crime_type"], description=d["description"],
            occurred_at=d.get("occurred_at"), place=d.get("place", ""), lat=d.get("lat"),
            lon=d.get("lon"), identity=identity, confidential=d["confidential"],
            client_token=s.scoped_token("a:" + s.address_key(_client_ip(request)),
                                        d["client_token"]),
            client_address=_client_ip(request))
        return Response({"tracking_code": report.tracking_code, "passphrase": passphrase},
                        status=200 if getattr(report, "retried", False) else 201)


class FollowUpView(_Public):
    @extend_schema(request=CredentialsSerializer, responses=StatusResult)
    def post(self, request):
        ser = CredentialsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        report = s.portal_open(**ser.validated_data, client_address=_client_ip(request))
        return Response(_status(report))


class MessageView(_Public):
    @extend_schema(request=MessageIn, responses=StatusResult)
    def post(self, request):
        ser = MessageIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        report = s.portal_open(tracking_code=d["tracking_code"], passphrase=d["passphrase"],
                               client_address=_client_ip(request))
        s.portal_reporter_message(report=report, text=d["text"])
        return Response(_status(report))


class LookupView(_Public):
    @extend_schema(parameters=[OpenApiParameter("kind", str, enum=FraudIndicator.Kind.values),
                               OpenApiParameter("value", str)], responses=LookupResult)
    def get(self, request):
        kind, value = request.query_params.get("kind", ""), request.query_params.get("value", "")
        if kind not in FraudIndicator.Kind.values or not value.strip():
            raise DomainError("invalid", _("Give the kind and the value to look up."),
                              details={"kind": FraudIndicator.Kind.values})
        found = indicator_lookup(kind, value)
        return Response({"found": found is not None,
                         "report_count": found.report_count if found else 0,
                         "last_seen": found.last_seen if found else None})


class StatisticsGroup(serializers.Serializer):
    code = serializers.CharField(help_text="crime group")
    label = serializers.CharField()


class StatisticsRow(serializers.Serializer):
    code = serializers.CharField(help_text="commune code (the province's code on the province row)")
    name = serializers.CharField()
    total = serializers.IntegerField(help_text="published total: a multiple of 5, equal to the "
                                               "sum of the row's groups")
    groups = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="published count per crime group code: "
                                             "multiples of 5")


class StatisticsResult(serializers.Serializer):
    start = serializers.DateField(help_text="first day counted")
    end = serializers.DateField(help_text="first day no longer counted")
    base = serializers.IntegerField(help_text="every number is a multiple of this")
    rule = serializers.CharField(help_text="the disclosure rule, as the page states it")
    groups = StatisticsGroup(many=True)
    communes = StatisticsRow(many=True)
    province = StatisticsRow(help_text="the sum of the communes' published rows")


def _row(row) -> dict:
    return {"code": row.code, "name": row.name, "total": row.total, "groups": dict(row.groups)}


class StatisticsView(_Public):
    """The public crime statistics of the last 12 full months, exactly as the statistics page,
    its map and its CSV publish them: controlled rounding to multiples of 5, each row adding
    up to its total (docs/decisions.md 24). No exact count is ever returned."""

    @extend_schema(responses=StatisticsResult)
    def get(self, request):
        data = published_statistics(province_code=settings.PCTP_PROVINCE_CODE)
        return Response({
            "start": data.start, "end": data.end, "base": data.base, "rule": data.rule,
            "groups": [{"code": code, "label": label} for code, label in data.groups],
            "communes": [_row(r) for r in data.communes], "province": _row(data.province)})
