"""Body images without a usable source: cleaned on the way in, never a 500 out."""

from __future__ import annotations

import pytest

from newsdesk.content.models import Article
from newsdesk.content.tests.test_newsroom import form_data
from newsdesk.lib.markup import find_images
from newsdesk.tests.support import parse

HOSTILE_IMAGES = {
    "no src": '<img alt="Nothing">',
    "data: src": '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Dot">',
    "javascript: src": '<img src="javascript:alert(1)" alt="Script">',
    "only data-src": '<img data-src="https://example.org/up/pier.jpg" alt="Pier">',
    "lazy placeholder": (
        '<img src="data:image/svg+xml,%3Csvg%3E" class="lazyload" '
        'data-srcset="https://example.org/up/pier-300x200.jpg 300w" alt="Pier">'
    ),
    "in a figure": (
        '<figure><img data-src="javascript:alert(1)" alt="">'
        "<figcaption>At the pier</figcaption></figure>"
    ),
}


@pytest.mark.parametrize("img", HOSTILE_IMAGES.values(), ids=HOSTILE_IMAGES.keys())
def test_the_newsroom_saves_a_body_with_an_unusable_image(editor_client, section, img):
    body = f"<p>Ferries resume at noon.</p>{img}<p>More later.</p>"
    response = editor_client.post(
        "/desk/content/article/add/", form_data(section, body=body)
    )
    assert response.status_code == 302
    stored = Article.objects.get(slug="rail-link-opens").body
    assert "Ferries resume at noon." in stored and "More later." in stored
    # Not in the library, so not kept; nothing that can't be shown either.
    assert find_images(stored) == []
    if "figcaption" in img:
        assert "<p>At the pier</p>" in stored


@pytest.mark.parametrize("img", HOSTILE_IMAGES.values(), ids=HOSTILE_IMAGES.keys())
def test_a_stored_body_with_an_unusable_image_still_renders(
    client, editor_client, make_article, img
):
    article = make_article("Ferries resume")
    # As rows written before bodies were cleaned of such images hold them.
    Article.objects.filter(pk=article.pk).update(
        body=f"<p>Ferries resume at noon.</p>{img}<img src='/x.jpg' data-file='x'>"
    )
    for who, url in (
        (client, article.get_absolute_url()),
        (editor_client, f"/desk/preview/{article.pk}/"),
        (editor_client, f"/desk/content/article/{article.pk}/change/"),
    ):
        response = who.get(url)
        assert response.status_code == 200, url
    page = parse(client.get(article.get_absolute_url()))
    assert page.css_first(".article-body p").text() == "Ferries resume at noon."
    assert page.css(".article-body img") == []
