"""Pages of the key-areas app (mounted at /areas/)."""

app_name = "areas"
urlpatterns: list = []
