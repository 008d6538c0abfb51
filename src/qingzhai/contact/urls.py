"""The contact centre's pages, in the `contact` namespace, mounted at /contact/: reminder campaigns, the
collector's workspace and the supervisors' live wall. Each view module lists its own routes."""

from qingzhai.contact.views import campaigns, wall, workspace

app_name = "contact"

urlpatterns = [*campaigns.urlpatterns, *workspace.urlpatterns, *wall.urlpatterns]
