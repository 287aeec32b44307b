"""API of the key-areas app (mounted at /api/v1/areas/)."""

urlpatterns: list = []
