from django.urls import path

from pctp.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("campaigns/<int:pk>/reach/", views.campaign_reach, name="campaign-reach"),
    path("campaigns/<int:pk>/materials/", views.campaign_material, name="campaign-material"),
    path("campaigns/<int:pk>/materials/<int:material_id>/", views.material_download,
         name="material"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.claim_new, name="claim-new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/<str:action>/", views.claim_action, name="claim-action"),
]
