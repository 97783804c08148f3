"""Sitemaps and robots.txt, validated with xmlschema against the published XSDs."""

from __future__ import annotations

import gzip
import urllib.robotparser
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import xmlschema
from django.utils import timezone
from lxml import etree

from newsdesk.content.models import Article, Author, Tag

FIXTURES = Path(__file__).parent / "fixtures"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
OWN = "https://news.example.org"
HOSTILE = "Fish & <chips> ]]> \x07\x0b 中俄经贸 🚄"


@pytest.fixture(scope="module")
def index_schema():
    return xmlschema.XMLSchema(FIXTURES / "siteindex.xsd")


@pytest.fixture(scope="module")
def urlset_schema():
    # The news schema plugs into sitemap.xsd's <xsd:any namespace="##other">.
    return xmlschema.XMLSchema(
        [FIXTURES / "sitemap.xsd", FIXTURES / "sitemap-news.xsd"]
    )


@pytest.fixture(autouse=True)
def own_domain(settings):
    settings.NEWSDESK_SITE_URL = OWN


def fetch(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return b"".join(response) if response.streaming else response.content


def path_of(url: str) -> str:
    assert url.startswith(OWN + "/"), url
    return url.removeprefix(OWN)


def locs(document: bytes, element: str) -> list[str]:
    root = etree.fromstring(document)
    return [loc.text for loc in root.iter(f"{SM}{element}")]


def crawl(client, index_schema, urlset_schema) -> dict[str, bytes]:
    """Fetch the index and every sitemap it lists, validating each with its XSD."""
    index = fetch(client, "/sitemap.xml")
    index_schema.validate(index)
    found = {}
    for url in [loc.text for loc in etree.fromstring(index).iter(f"{SM}loc")]:
        document = fetch(client, path_of(url))
        urlset_schema.validate(document)
        found[path_of(url)] = document
    return found


@pytest.fixture
def archive(make_article):
    """Published articles in three months (UTC), a draft, a future article."""
    made = [
        make_article(f"Old story {n}", publish_at=datetime(2025, 1, 10 + n, tzinfo=UTC))
        for n in range(3)
    ]
    made += [
        make_article(
            f"Newer story {n}", publish_at=datetime(2025, 2, 1 + n, tzinfo=UTC)
        )
        for n in range(2)
    ]
    made.append(
        make_article(HOSTILE, publish_at=timezone.now() - timedelta(hours=1),
                     standfirst=HOSTILE, body=f"<p>{HOSTILE}</p>")
    )  # fmt: skip
    Author.objects.create(name="Li Wei", slug="li-wei").articles.add(made[0])
    secret = Tag.objects.create(name="Embargo", slug="embargo")
    ghost = Author.objects.create(name="Ghost Writer", slug="ghost-writer")
    draft = make_article("Secret draft", status=Article.Status.DRAFT)
    future = make_article(
        "Future story", publish_at=timezone.now() + timedelta(hours=2)
    )
    for hidden in (draft, future):
        hidden.tags.add(secret)
        hidden.authors.add(ghost)
    return made


def test_every_sitemap_validates_against_the_published_schemas(
    client, archive, index_schema, urlset_schema
):
    found = crawl(client, index_schema, urlset_schema)
    assert set(found) == {
        "/sitemap-news.xml",
        "/sitemap-sections.xml",
        "/sitemap-authors.xml",
        "/sitemap-articles-2025-01.xml",
        "/sitemap-articles-2025-02.xml",
        "/sitemap-articles-"
        + timezone.now().astimezone(UTC).strftime("%Y-%m")
        + ".xml",
    }  # No published article has a tag, so there is no tag sitemap.


def test_articles_are_listed_once_in_their_month_with_lastmod(
    client, archive, index_schema, urlset_schema
):
    found = crawl(client, index_schema, urlset_schema)
    january = locs(found["/sitemap-articles-2025-01.xml"], "loc")
    assert january == [OWN + a.get_absolute_url() for a in archive[:3]]
    listed = [
        url
        for path, document in found.items()
        if path.startswith("/sitemap-articles-")
        for url in locs(document, "loc")
    ]
    assert sorted(listed) == sorted(OWN + a.get_absolute_url() for a in archive)
    root = etree.fromstring(found["/sitemap-articles-2025-02.xml"])
    lastmods = [el.text for el in root.iter(f"{SM}lastmod")]
    assert lastmods == [
        max(a.updated_at, a.publish_at).astimezone(UTC).isoformat(timespec="seconds")
        .replace("+00:00", "Z")
        for a in archive[3:5]
    ]  # fmt: skip


def test_a_big_month_is_split_into_pages_below_the_limit(
    client, archive, settings, index_schema, urlset_schema
):
    settings.NEWSDESK_SITEMAP_LIMIT = 2
    found = crawl(client, index_schema, urlset_schema)
    pages = sorted(p for p in found if p.startswith("/sitemap-articles-2025-01"))
    assert pages == ["/sitemap-articles-2025-01-2.xml", "/sitemap-articles-2025-01.xml"]
    counts = [len(locs(found[p], "url")) for p in reversed(pages)]
    assert counts == [2, 1]
    assert client.get("/sitemap-articles-2025-01-3.xml").status_code == 404


def test_drafts_future_articles_and_their_tags_are_never_listed(
    client, archive, index_schema, urlset_schema
):
    Tag.objects.create(name="Public tag", slug="public-tag").articles.add(archive[0])
    found = crawl(client, index_schema, urlset_schema)
    everything = b"".join(found.values()).decode()
    assert "/tag/public-tag/" in everything
    hidden = Article.objects.filter(title__in=["Secret draft", "Future story"])
    assert len(hidden) == 2
    for article in hidden:
        assert f"/{article.slug}/" not in everything
    assert "/tag/embargo/" not in everything
    assert "/author/ghost-writer/" not in everything


def test_the_news_sitemap_holds_the_last_two_days_for_google_news(
    client, archive, settings, urlset_schema
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.NEWSDESK_SITE_NAME = "Daily & <Times>"
    document = fetch(client, "/sitemap-news.xml")
    urlset_schema.validate(document)
    root = etree.fromstring(document)
    (news,) = root.iter(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Daily & <Times>"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "zh-cn"
    # Control characters can't be in XML at all; everything else survives.
    assert news.findtext(f"{NEWS}title") == HOSTILE.replace("\x07\x0b", "")
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == archive[-1].publish_at.replace(microsecond=0)
    assert locs(document, "loc") == [OWN + archive[-1].get_absolute_url()]


def test_the_news_sitemap_stops_at_a_thousand(client, make_article, urlset_schema):
    first = make_article("Breaking 0")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(title=f"Breaking {n}", slug=f"breaking-{n}", section=first.section,
                body="<p>x</p>", status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(minutes=n))
        for n in range(1, 1005)
    )  # fmt: skip
    document = fetch(client, "/sitemap-news.xml")
    urlset_schema.validate(document)
    assert len(locs(document, "url")) == 1000


def test_sitemaps_say_nothing_of_old_news_when_there_is_none(client, archive):
    archive[-1].publish_at = timezone.now() - timedelta(days=3)
    archive[-1].save()
    index = fetch(client, "/sitemap.xml")
    assert OWN + "/sitemap-news.xml" not in locs(index, "loc")
    assert locs(fetch(client, "/sitemap-news.xml"), "url") == []


def test_article_sitemaps_are_streamed_and_compressed(client, archive):
    response = client.get(
        "/sitemap-articles-2025-01.xml", headers={"accept-encoding": "gzip"}
    )
    assert response.streaming
    assert response["Content-Encoding"] == "gzip"
    assert len(locs(gzip.decompress(b"".join(response)), "url")) == 3


def test_the_index_counts_months_in_a_fixed_number_of_queries(
    client, archive, make_article, django_assert_max_num_queries
):
    for year in range(2000, 2024):
        make_article(f"Story of {year}", publish_at=datetime(year, 6, 1, tzinfo=UTC))
    with django_assert_max_num_queries(8):
        index = fetch(client, "/sitemap.xml")
    assert len([u for u in locs(index, "loc") if "/sitemap-articles-" in u]) == 24 + 3


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-nothing.xml",
        "/sitemap-articles-2025-13.xml",
        "/sitemap-articles-1999-01.xml",
        "/sitemap-sections-2.xml",
        "/sitemap-news-2.xml",
    ],
)
def test_unknown_or_empty_sitemaps_are_not_found(client, archive, path):
    assert client.get(path).status_code == 404


def test_robots_txt_names_the_sitemap_index_and_lets_readers_pages_be_crawled(
    client, archive
):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    assert robots.site_maps() == [OWN + "/sitemap.xml"]
    assert robots.can_fetch("*", OWN + archive[0].get_absolute_url())
    assert robots.can_fetch("*", OWN + "/")
    assert not robots.can_fetch("*", OWN + "/desk/")


def test_taking_an_article_down_moves_its_months_lastmod_on(client, archive):
    def january() -> str:
        root = etree.fromstring(fetch(client, "/sitemap.xml"))
        for entry in root.iter(f"{SM}sitemap"):
            if entry.findtext(f"{SM}loc").endswith("/sitemap-articles-2025-01.xml"):
                return entry.findtext(f"{SM}lastmod")
        raise AssertionError("January is not listed")

    Article.objects.filter(pk__in=[a.pk for a in archive[:3]]).update(
        updated_at=datetime(2025, 1, 20, tzinfo=UTC)
    )
    before = january()
    assert before == "2025-01-20T00:00:00Z"
    archive[0].status = Article.Status.DRAFT
    archive[0].save()
    # Crawlers read the month again and find the address gone.
    assert january() > before
    assert OWN + archive[0].get_absolute_url() not in locs(
        fetch(client, "/sitemap-articles-2025-01.xml"), "loc"
    )
