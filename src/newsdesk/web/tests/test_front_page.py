"""The front page: latest strip, lead story, a block per section, Most Popular."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from newsdesk.content.models import Section
from newsdesk.tests.support import parse, texts


def test_latest_strip_excerpts_end_with_dots_at_a_word_boundary(client, make_article):
    body = (
        "<p>Officials from both countries gathered early on Monday to review "
        "the progress of a long-planned railway.</p>"
    )
    article = make_article(body=body)
    tree = parse(client.get("/"))
    strip = tree.css_first(".latest-strip")
    assert texts(strip, "li > a") == [article.title]
    excerpt = strip.css_first("li > p").text(strip=True)
    assert excerpt.endswith("...")
    words = excerpt[:-3]
    source = "Officials from both countries gathered early on Monday to review"
    assert source.startswith(words)
    # The cut falls between two words, not inside one.
    assert source[len(words)] == " "
    assert re.search(r"\w\.\.\.$", excerpt)


def test_latest_strip_shows_the_three_newest_published(client, make_article):
    now = timezone.now()
    for hours in (1, 2, 3, 4):
        make_article(f"Story {hours}", publish_at=now - timedelta(hours=hours))
    tree = parse(client.get("/"))
    assert texts(tree, ".latest-strip li > a") == ["Story 1", "Story 2", "Story 3"]


def test_the_lead_story_is_the_newest_featured_article(client, make_article):
    now = timezone.now()
    make_article("Featured", featured=True, publish_at=now - timedelta(hours=5))
    make_article("Newer but not featured", publish_at=now - timedelta(hours=1))
    tree = parse(client.get("/"))
    assert tree.css_first(".lead-story h2").text(strip=True) == "Featured"


def test_without_a_featured_article_the_newest_leads(client, make_article):
    now = timezone.now()
    make_article("Older", publish_at=now - timedelta(hours=5))
    make_article("Newest", publish_at=now - timedelta(hours=1))
    tree = parse(client.get("/"))
    assert tree.css_first(".lead-story h2").text(strip=True) == "Newest"


def test_each_section_gets_a_block_of_its_newest_articles(
    client, make_article, make_section, section
):
    sport = make_section("Sports", position=5)
    now = timezone.now()
    make_article("Lead", featured=True)
    for n in range(6):
        make_article(f"China {n}", publish_at=now - timedelta(hours=n + 2))
    make_article("Match report", section=sport)
    tree = parse(client.get("/"))
    blocks = {
        block.css_first("h2").text(strip=True): texts(block, "h3")
        for block in tree.css(".section-block")
    }
    assert list(blocks) == ["China", "Sports"]
    assert blocks["China"] == ["China 0", "China 1", "China 2", "China 3"]
    assert blocks["Sports"] == ["Match report"]


def test_an_empty_section_has_no_block(client, make_article, make_section):
    make_section("Empty")
    make_article()
    tree = parse(client.get("/"))
    assert "Empty" not in texts(tree, ".section-block h2")
    assert Section.objects.filter(name="Empty").exists()


def test_the_front_page_has_most_popular_and_tags(client, demo_site):
    tree = parse(client.get("/"))
    assert tree.css(".most-popular ol li")
    assert tree.css(".tags a[rel=tag]")
    assert tree.css_first("h1").text(strip=True)


def test_an_empty_site_still_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing has been published yet" in parse(response).css_first("main").text()
