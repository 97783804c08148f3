"""RSS and Atom feeds, checked with feedparser, the reference feed reader."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from newsdesk.content.models import Article, Author, Tag
from newsdesk.tests.support import parse

FEEDS = [
    "/feed/", "/feed/atom/", "/china/feed/", "/china/feed/atom/",
    "/tag/trade/feed/", "/tag/trade/feed/atom/", "/author/li-wei/feed/",
    "/author/li-wei/feed/atom/",
]  # fmt: skip


@pytest.fixture
def site(make_article):
    tag = Tag.objects.create(name="Trade & <Tariffs>", slug="trade")
    author = Author.objects.create(name="Li Wei 李伟", slug="li-wei")
    now = timezone.now()
    articles = [
        make_article(
            f"Story {n} & more <b>bold</b> ]]> 中俄 🚄\x07",
            standfirst="Fish & chips <i>]]></i>\x0b",
            body="<p>Body with &amp; and &lt;script&gt; and ]]&gt; 磋商 🚄.</p>",
            publish_at=now - timedelta(hours=n + 1),
            tags=[tag],
            authors=[author],
        )
        for n in range(3)
    ]
    make_article(
        "Hidden draft", status=Article.Status.DRAFT, tags=[tag], authors=[author]
    )
    make_article("Hidden future", publish_at=now + timedelta(hours=1), tags=[tag],
                 authors=[author])  # fmt: skip
    return articles


@pytest.fixture
def own_domain(settings):
    settings.NEWSDESK_SITE_URL = "https://news.example.org"
    return settings.NEWSDESK_SITE_URL


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_is_well_formed_and_complete(client, site, own_domain, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert len(feed.entries) == 3
    for entry in feed.entries:
        assert entry.title.startswith("Story")
        assert "中俄 🚄" in entry.title
        # The site's own domain, not the Host the request came with.
        assert entry.link.startswith("https://news.example.org/china/")
        assert entry.id
        assert entry.published_parsed
        assert entry.summary
        assert {"China", "Trade & <Tariffs>"} <= {t.term for t in entry.tags}
    titles = " ".join(entry.title for entry in feed.entries)
    assert "Hidden" not in titles
    assert feed.feed.link.startswith(own_domain)
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [own_domain + url]


def test_entries_come_newest_first_with_stable_ids(client, site):
    first = feedparser.parse(client.get("/feed/").content)
    assert [e.title.split()[1] for e in first.entries] == ["0", "1", "2"]
    site[0].slug = "renamed"
    site[0].save()
    again = feedparser.parse(client.get("/feed/").content)
    assert [e.id for e in again.entries] == [e.id for e in first.entries]


def test_pages_announce_their_feeds(client, site):
    tree = parse(client.get("/china/"))
    feeds = [link.attributes["href"] for link in tree.css("link[rel=alternate]")]
    assert {"/feed/", "/feed/atom/", "/china/feed/"} <= set(feeds)


def test_an_unknown_section_feed_is_not_found(client, db):
    assert client.get("/nowhere/feed/").status_code == 404
