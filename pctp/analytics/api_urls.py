"""Analysis API (mounted at /api/v1/analytics/)."""

urlpatterns: list = []
