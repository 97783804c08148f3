"""Every answer carries a Content-Security-Policy and a Permissions-Policy."""

from __future__ import annotations

import pytest

from newsdesk.content.models import Article


def directives(response) -> dict[str, list[str]]:
    """Return the response's Content-Security-Policy, directive by directive."""
    policy = response["Content-Security-Policy"]
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def test_every_public_page_type_runs_scripts_from_the_site_only(
    client, make_article, make_image
):
    article = make_article(lead_image=make_image(), tags=[])
    pages = {
        "front": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "search": "/search/?q=body",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "not found": "/no-such-page/",
    }
    for name, address in pages.items():
        response = client.get(address)
        assert response.status_code in (200, 404), name
        assert directives(response) == STRICT, name
        assert response["Permissions-Policy"].startswith("accelerometer=()"), name
        for feature in ("camera=()", "microphone=()", "geolocation=()"):
            assert feature in response["Permissions-Policy"], name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name


def test_the_newsroom_allows_only_its_editors_inline_import_map_and_style(
    client, editor_client, make_article
):
    from selectolax.lexbor import LexborHTMLParser

    from newsdesk.web.security import script_hash

    article = make_article(status=Article.Status.DRAFT)
    login = client.get("/desk/login/")
    form = editor_client.get(f"/desk/content/article/{article.pk}/change/")
    for response in (login, form):
        policy = directives(response)
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-inline'" not in policy["style-src"]
    # The one inline script the article form runs is allowed by its hash.
    tree = LexborHTMLParser(form.content.decode())
    [importmap] = tree.css("script[type=importmap]")
    executable = [
        node
        for node in tree.css("script:not([src])")
        if node.attributes.get("type") not in ("application/json", "importmap")
    ]
    assert executable == []
    assert directives(form)["script-src"] == ["'self'", script_hash(importmap.text())]
    # A preview is a public page's template: the public policy.
    preview = editor_client.get(f"/desk/preview/{article.pk}/")
    assert directives(preview) == STRICT


def test_uploads_on_a_bucket_of_their_own_are_allowed_as_images(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "news",
                "custom_domain": "media.example.com",
                "querystring_auth": False,
            },
        },
    }
    policy = directives(client.get("/"))
    assert policy["img-src"] == ["'self'", "https://media.example.com"]
    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db(transaction=True)
def test_pages_from_the_cache_carry_the_policy_too(settings, make_article):
    """Cache hits are answered before Django; the stored headers include the policy."""
    from wsgiref.util import setup_testing_defaults

    from newsdesk.delivery.pagecache import PageCacheApp
    from newsdesk.wsgi import django_application

    settings.NEWSDESK_PAGE_CACHE = True
    article = make_article()
    app = PageCacheApp(django_application)

    def get(path: str) -> dict[str, str]:
        environ = {"PATH_INFO": path, "HTTP_HOST": "localhost"}
        setup_testing_defaults(environ)
        seen = {}

        def start_response(status, headers, exc_info=None):
            seen.update(headers)

        b"".join(app(environ, start_response))
        return seen

    for path in ("/", article.get_absolute_url()):
        get(path)
        hit = get(path)
        assert hit["X-Cache"] == "HIT"
        assert "script-src 'self';" in hit["Content-Security-Policy"]
        assert "camera=()" in hit["Permissions-Policy"]
