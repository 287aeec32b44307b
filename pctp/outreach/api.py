"""/api/v1/outreach/: campaigns (with their reach and effect) and the register of false
information, with the pages' permissions; /api/v1/portal/refutations/ and
/api/v1/portal/false-information/ for citizens (no sign-in, rate limited)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.core.api import BlankChoicesMixin, requires
from pctp.core.errors import DomainError
from pctp.core.middleware import _client_ip
from pctp.core.money import money_serializer_field
from pctp.outreach import selectors as q
from pctp.outreach import services as s
from pctp.outreach.models import Campaign, FalseClaim, Platform, ReachEntry, Refutation
from pctp.portal.api import PortalThrottle
from pctp.units.models import Commune, Unit


def _valid(serializer_class, request):
    ser = serializer_class(data=request.data)
    if not ser.is_valid():
        raise DomainError("invalid", _("The data are not valid."), details=ser.errors)
    return ser.validated_data


class ReachSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReachEntry
        fields = ["id", "channel", "on", "views", "participants", "note"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    budget = serializers.IntegerField(read_only=True, allow_null=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    communes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    offences = serializers.SlugRelatedField(many=True, read_only=True, slug_field="article")
    reach = ReachSerializer(many=True, read_only=True)
    warnings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "theme", "description", "unit", "starts_on", "ends_on",
                  "communes", "crime_groups", "offences", "tip_types", "audiences", "channels",
                  "budget", "warnings", "reach"]
        read_only_fields = fields


class CampaignInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    theme = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.CharField(help_text="the responsible unit's code")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    communes = serializers.ListField(child=serializers.CharField(), help_text="commune codes")
    crime_groups = serializers.ListField(child=serializers.CharField(), required=False,
                                         default=list)
    articles = serializers.ListField(child=serializers.CharField(), required=False,
                                     default=list, help_text="Penal Code articles")
    tip_types = serializers.ListField(child=serializers.CharField(), required=False,
                                      default=list)
    audiences = serializers.ListField(child=serializers.CharField(), required=False,
                                      default=list)
    channels = serializers.ListField(child=serializers.CharField(), required=False,
                                     default=list)
    budget = money_serializer_field(required=False, allow_null=True)
    warnings = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     default=list, help_text="ids of portal warnings")

    def validate_unit(self, value):
        unit = Unit.objects.filter(code=value).first()
        if unit is None:
            raise serializers.ValidationError(_("No such unit."))
        return unit

    def validate_warnings(self, value):
        from pctp.portal.selectors import bulletins_published

        found = list(bulletins_published().filter(pk__in=value))
        if len(found) != len(set(value)):
            raise serializers.ValidationError(_("No such warning."))
        return found

    def validate_communes(self, value):
        found = list(Commune.objects.filter(code__in=value))
        if len(found) != len(set(value)):
            raise serializers.ValidationError(_("No such commune."))
        return found


class ReachInputSerializer(serializers.Serializer):
    channel = serializers.CharField()
    on = serializers.DateField()
    views = serializers.IntegerField(min_value=0, max_value=s.MAX_COUNT, required=False,
                                     default=0)
    participants = serializers.IntegerField(min_value=0, max_value=s.MAX_COUNT,
                                            required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Outreach campaigns in the caller's scope."""

    serializer_class = CampaignSerializer
    permission_classes = [requires("outreach.view_outreach")]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return q.campaign_scope(self.request.user).select_related("unit").prefetch_related(
            "communes", "offences", "reach")

    @extend_schema(request=CampaignInputSerializer, responses={201: CampaignSerializer})
    def create(self, request, *args, **kwargs):
        d = _valid(CampaignInputSerializer, request)
        campaign = s.campaign_create(actor=request.user, **d)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="outreach_campaign_effect", responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def effect(self, request, pk=None):
        """The campaign's effect on each outcome: the difference in differences, its 95%
        interval, the events it rests on, or "not_enough"."""
        campaign = self.get_object()
        return Response({"campaign": campaign.pk,
                         "comparison_communes": len(q.comparison_communes(campaign)),
                         "overlapping_campaigns": [
                             {"id": c.pk, "title": c.title}
                             for c in q.overlapping_campaigns(campaign)],
                         "outcomes": [e.as_dict() for e in q.campaign_effect(campaign)]})

    @extend_schema(operation_id="outreach_campaign_reach", request=ReachInputSerializer,
                   responses={201: ReachSerializer})
    @action(detail=True, methods=["post"], url_path="reach")
    def add_reach(self, request, pk=None):
        d = _valid(ReachInputSerializer, request)
        row = s.reach_add(actor=request.user, campaign=self.get_object(), **d)
        return Response(ReachSerializer(row).data, status=status.HTTP_201_CREATED)


class RefutationSerializer(serializers.ModelSerializer):
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Refutation
        fields = ["id", "title", "claim_wording", "body", "published_at", "updated_at"]
        read_only_fields = fields


class ClaimSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, default=None,
                                 allow_null=True)
    campaign = serializers.IntegerField(source="campaign_id", read_only=True, allow_null=True)
    refutation = RefutationSerializer(read_only=True, default=None, allow_null=True)
    url = serializers.CharField(read_only=True, help_text="may be empty")
    reach = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = FalseClaim
        fields = ["id", "status", "url", "platform", "seen_on", "reach", "claim", "facts",
                  "evidence", "unit", "campaign", "from_citizen", "citizen_note",
                  "refutation"]
        read_only_fields = fields


class ClaimInputSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="the responsible unit's code")
    platform = serializers.ChoiceField(choices=Platform.choices)
    url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    seen_on = serializers.DateField()
    reach = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                     max_value=s.MAX_COUNT, default=None)
    claim = serializers.CharField(max_length=5000)
    campaign = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate_seen_on(self, value):
        if value < s.EARLIEST:
            raise serializers.ValidationError(_("Not before %(d)s.")
                                              % {"d": f"{s.EARLIEST:%d/%m/%Y}"})
        return value

    def validate_unit(self, value):
        unit = Unit.objects.filter(code=value).first()
        if unit is None:
            raise serializers.ValidationError(_("No such unit."))
        return unit


class AcceptSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="the responsible unit's code")


class VerifySerializer(serializers.Serializer):
    facts = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                     help_text="register numbers of sources or cases")


class RefuteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    claim_wording = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000,
        help_text="what the post claimed, naming no one; required for a citizen's report "
                  "(its own words are never published), else the entry's text")


class CorrectSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    claim_wording = serializers.CharField(required=False, default=None, allow_null=True,
                                          max_length=1000, help_text="unchanged when absent")
    reason = serializers.CharField(max_length=300)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClaimViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The register of false information in the caller's scope (with the citizens' reports
    not yet taken in, for those who keep it)."""

    serializer_class = ClaimSerializer
    permission_classes = [requires("outreach.view_outreach")]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return q.claim_scope(self.request.user).select_related("unit", "refutation")

    def _done(self, claim):
        return Response(ClaimSerializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(request=ClaimInputSerializer, responses={201: ClaimSerializer})
    def create(self, request, *args, **kwargs):
        d = _valid(ClaimInputSerializer, request)
        campaign = None
        if d.pop("campaign") is not None:
            campaign = q.campaign_scope(request.user).filter(pk=request.data["campaign"]).first()
            if campaign is None:
                raise DomainError("invalid", _("No such campaign."),
                                  details={"campaign": [_("No such campaign.")]})
        claim = s.claim_create(actor=request.user, campaign=campaign, **d)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="outreach_claim_accept", request=AcceptSerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        d = _valid(AcceptSerializer, request)
        unit = Unit.objects.filter(code=d["unit"]).first()
        if unit is None:
            raise DomainError("invalid", _("No such unit."), details={"unit": [_("No such unit.")]})
        return self._done(s.claim_accept(actor=request.user, claim=self.get_object(), unit=unit))

    @extend_schema(operation_id="outreach_claim_verify", request=VerifySerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        d = _valid(VerifySerializer, request)
        evidence = s.evidence_from_codes(request.user, ",".join(d["evidence"]))
        return self._done(s.claim_verify(actor=request.user, claim=self.get_object(),
                                         facts=d["facts"], evidence=evidence))

    @extend_schema(operation_id="outreach_claim_refute", request=RefuteSerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def refute(self, request, pk=None):
        d = _valid(RefuteSerializer, request)
        s.claim_refute(actor=request.user, claim=self.get_object(), **d)
        return self._done(self.get_object())

    @extend_schema(operation_id="outreach_claim_correct", request=CorrectSerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        d = _valid(CorrectSerializer, request)
        claim = self.get_object()
        refutation = Refutation.objects.filter(claim=claim).first()
        if refutation is None:
            raise DomainError("invalid", _("Nothing has been published to correct."))
        s.refutation_correct(actor=request.user, refutation=refutation, **d)
        return self._done(claim)

    @extend_schema(operation_id="outreach_claim_close", request=NoteSerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        d = _valid(NoteSerializer, request)
        return self._done(s.claim_close(actor=request.user, claim=self.get_object(), **d))

    @extend_schema(operation_id="outreach_claim_dismiss", request=NoteSerializer,
                   responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        d = _valid(NoteSerializer, request)
        return self._done(s.claim_dismiss(actor=request.user, claim=self.get_object(), **d))


# ----------------------------------------------------------------------------- citizens

class PublicRefutationSerializer(serializers.ModelSerializer):
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    claim = serializers.CharField(source="claim_wording", read_only=True,
                                  help_text="what the post claimed, as the officer worded it")
    platform = serializers.CharField(source="claim.platform", read_only=True)
    seen_on = serializers.DateField(source="claim.seen_on", read_only=True)
    campaign = serializers.CharField(source="claim.campaign.title", read_only=True,
                                     default=None, allow_null=True)

    class Meta:
        model = Refutation
        fields = ["id", "title", "body", "published_at", "updated_at", "claim", "platform",
                  "seen_on", "campaign"]
        read_only_fields = fields


class PublicRefutations(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalThrottle]

    @extend_schema(operation_id="portal_refutations", summary="False information refuted",
                   parameters=[OpenApiParameter("q", str, description="words to find")],
                   responses=PublicRefutationSerializer(many=True))
    def get(self, request):
        rows = q.public_refutations(query=(request.query_params.get("q") or "")[:100])[:50]
        return Response(PublicRefutationSerializer(rows, many=True).data)


class CitizenFlagSerializer(serializers.Serializer):
    url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    platform = serializers.ChoiceField(choices=Platform.choices)
    seen_on = serializers.DateField(required=False, allow_null=True, default=None)
    claim = serializers.CharField(max_length=5000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CitizenFlag(APIView):
    """Rate limited twice: the portal's 30 calls a minute per address, and the report form's
    submissions per hour (PCTP_PORTAL_SUBMITS_PER_HOUR)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalThrottle]

    @extend_schema(operation_id="portal_false_information_report",
                   summary="Report a post you think is false", request=CitizenFlagSerializer,
                   responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        d = _valid(CitizenFlagSerializer, request)
        s.citizen_flag(client_address=_client_ip(request), **d)
        return Response({"received": True}, status=status.HTTP_201_CREATED)
