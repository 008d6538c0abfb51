"""Vendored assets are served by WhiteNoise without login."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, marker",
    [
        ("/static/web/vendor/htmx.min.js", b"var htmx="),
        ("/static/web/vendor/echarts.min.js", b"echarts"),
        ("/static/web/app.css", b"--brand"),
        ("/static/web/app.js", b"data-select-all"),
    ],
)
def test_static_assets_are_served(client, path, marker):
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert marker in body[:200_000]


def test_pages_load_htmx_from_the_vendored_copy(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<script src="/static/web/vendor/htmx.min.js" defer></script>' in html
