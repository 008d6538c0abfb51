"""The contact centre's REST API, mounted at /api/v1/contact/ in the `contact-api` namespace: campaigns,
bot calls and the collector's workspace. Each module lists its own routes."""

from qingzhai.contact.api import bot_calls, campaigns, workspace

urlpatterns = [*campaigns.urlpatterns, *bot_calls.urlpatterns, *workspace.urlpatterns]
