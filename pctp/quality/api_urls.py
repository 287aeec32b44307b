from django.urls import path

from pctp.quality import api

urlpatterns = [
    path("", api.QualityList.as_view(), name="api-quality"),
    path("stages/", api.QualityStages.as_view(), name="api-quality-stages"),
    path("<str:code>/", api.QualityDetail.as_view(), name="api-quality-detail"),
    path("<str:code>/records/", api.QualityRecords.as_view(), name="api-quality-records"),
]
