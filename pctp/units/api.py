from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.core.api import requires
from pctp.units.models import Commune, Membership, Unit
from pctp.units.selectors import members_of, unit_list, user_memberships


class CommuneSerializer(serializers.ModelSerializer):
    province_code = serializers.CharField(source="province.code", read_only=True)

    class Meta:
        model = Commune
        fields = ["code", "name", "kind", "province_code", "lat", "lon", "area_km2", "remote"]


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True,
                                        default=None, allow_null=True)
    commune_codes = serializers.SlugRelatedField(source="communes", slug_field="code",
                                                 many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "parent_code", "valid_from",
                  "valid_to", "commune_codes"]


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    role = serializers.CharField(source="role.code")

    class Meta:
        model = Membership
        fields = ["username", "full_name", "role", "is_head", "valid_from", "valid_to"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units the caller may see: their own and those below them."""

    serializer_class = UnitSerializer
    permission_classes = [requires("units.view_unit")]

    def get_queryset(self):
        return unit_list(user=self.request.user, kind=self.request.query_params.get("kind"),
                         query=self.request.query_params.get("q")).prefetch_related("communes")

    @extend_schema(responses=MemberSerializer(many=True))
    def members(self, request, pk=None):
        unit = self.get_object()
        return Response(MemberSerializer(members_of(user=request.user, unit=unit), many=True).data)


class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference list of commune-level units (official codes after 1/7/2025)."""

    serializer_class = CommuneSerializer
    permission_classes = [requires("units.view_commune")]
    lookup_field = "code"

    def get_queryset(self):
        qs = Commune.objects.select_related("province").order_by("code")
        province = self.request.query_params.get("province")
        return qs.filter(province__code=province) if province else qs


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    memberships = MemberSerializer(many=True)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        ms = list(user_memberships(request.user))
        return Response({
            "username": request.user.username,
            "full_name": request.user.full_name,
            "memberships": [
                {**MemberSerializer(m).data, "unit_code": m.unit.code, "unit_name": m.unit.name}
                for m in ms
            ],
        })
