"""Web routes, all in the `web` namespace: pages and htmx partials (routes_main), portfolio imports
(routes_imports)."""

from qingzhai.web.routes_imports import urlpatterns as import_patterns
from qingzhai.web.routes_main import urlpatterns as main_patterns

app_name = "web"

urlpatterns = [*main_patterns, *import_patterns]
