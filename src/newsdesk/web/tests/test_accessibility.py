"""Every page type has one h1, headings that don't skip levels, and landmarks."""

from __future__ import annotations

import pytest

from newsdesk.content.models import Article, Author, Tag
from newsdesk.tests.support import SEED_ARTICLE_SLUG, parse


def page_urls() -> list[str]:
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    return [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        Tag.objects.first().get_absolute_url(),
        Author.objects.first().get_absolute_url(),
        "/no-such-page/",
    ]


@pytest.mark.parametrize("index", range(6))
def test_headings_start_at_one_h1_and_never_skip_a_level(client, demo_site, index):
    url = page_urls()[index]
    tree = parse(client.get(url))
    levels = [int(node.tag[1]) for node in tree.css("h1, h2, h3, h4, h5, h6")]
    assert levels.count(1) == 1, url
    assert levels[0] == 1, url
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, (url, levels)


@pytest.mark.parametrize("index", range(6))
def test_landmarks_are_top_level_and_ids_unique(client, demo_site, index):
    url = page_urls()[index]
    tree = parse(client.get(url))
    assert len(tree.css("main")) == 1
    for landmark in ("header.site-header", "footer.site-footer", "aside"):
        for node in tree.css(landmark):
            parent = node.parent
            while parent is not None and parent.tag != "body":
                assert parent.tag not in ("main", "aside", "header", "footer"), url
                parent = parent.parent
    ids = [node.attributes["id"] for node in tree.css("[id]")]
    assert len(ids) == len(set(ids)), url


def test_images_have_alt_text(client, make_article, make_image):
    article = make_article(
        lead_image=make_image("A navy rectangle", size=(40, 20)), featured=True
    )
    for url in ("/", article.get_absolute_url()):
        tree = parse(client.get(url))
        images = tree.css("main img:not(.beacon)")
        assert images, url
        for image in images:
            assert image.attributes.get("alt"), url
            assert image.attributes.get("width") == "40"
