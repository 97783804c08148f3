"""What search engines and social sites read: canonical, OpenGraph, Twitter, JSON-LD.

The structured data is read back with extruct, as crawlers read it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import extruct
import pytest
from django.utils import timezone

from newsdesk.content.models import Article, Author, Tag
from newsdesk.tests.support import parse

OWN = "https://news.example.org"
HOSTILE = 'Talks </script><script>alert("x")</script> & 中俄 🚄'


@pytest.fixture(autouse=True)
def own_domain(settings):
    settings.NEWSDESK_SITE_URL = OWN
    settings.NEWSDESK_SITE_NAME = "The Daily"


@pytest.fixture
def story(make_article, make_image):
    article = make_article(
        HOSTILE,
        standfirst="Negotiators met for a third round of consultations on Monday.",
        authors=[Author.objects.create(name="Li Wei", slug="li-wei")],
        tags=[Tag.objects.create(name="Trade", slug="trade"),
              Tag.objects.create(name="Energy", slug="energy")],
        lead_image=make_image("Negotiators at a round table", size=(2000, 1000)),
    )  # fmt: skip
    article.save()  # Edited after publishing: dateModified moves on.
    return article


def metadata(client, path: str) -> tuple[dict, object]:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    data = extruct.extract(
        html, base_url=OWN + path, syntaxes=["json-ld", "opengraph"], uniform=True
    )
    return data, parse(response)


def graph(data: dict) -> dict[str, dict]:
    (block,) = data["json-ld"]
    return {node["@type"]: node for node in block["@graph"]}


def opengraph(data: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in data["opengraph"]:
        for key, value in block.items():
            for one in value if isinstance(value, list) else [value]:
                found.setdefault(key, []).append(one)
    return found


def meta(tree, name: str) -> str:
    node = tree.css_first(f'meta[name="{name}"]')
    return node.attributes["content"] if node else ""


def canonical(tree) -> list[str]:
    return [link.attributes["href"] for link in tree.css("link[rel=canonical]")]


def test_an_article_is_a_complete_news_article_for_search_engines(client, story):
    data, tree = metadata(client, story.get_absolute_url())
    url = OWN + story.get_absolute_url()
    nodes = graph(data)
    news = nodes["NewsArticle"]
    assert news["headline"] == HOSTILE
    assert news["description"] == story.standfirst
    assert news["mainEntityOfPage"]["@id"] == url
    assert news["articleSection"] == "China"
    assert news["keywords"] == ["Energy", "Trade"]
    assert news["author"] == [
        {"@type": "Person", "name": "Li Wei", "url": OWN + "/author/li-wei/"}
    ]
    # The largest rendition, not the original upload (2000 px wide).
    assert news["image"][0]["url"] == OWN + story.lead_image.rendition_url(1600)
    assert news["image"][0]["url"].endswith("-1600.jpg")
    assert (news["image"][0]["width"], news["image"][0]["height"]) == (1600, 800)
    published = datetime.fromisoformat(news["datePublished"])
    modified = datetime.fromisoformat(news["dateModified"])
    assert published.utcoffset() is not None
    assert published == story.publish_at.replace(microsecond=0)
    assert modified > published
    publisher = nodes["NewsMediaOrganization"]
    assert news["publisher"] == {"@id": publisher["@id"]}
    assert publisher["name"] == "The Daily"
    assert publisher["logo"]["url"].startswith(OWN + "/static/")
    crumbs = [item["name"] for item in nodes["BreadcrumbList"]["itemListElement"]]
    assert crumbs == ["Home", "China", HOSTILE]
    assert canonical(tree) == [url]


def test_an_article_has_opengraph_and_a_twitter_card(client, story):
    data, tree = metadata(client, story.get_absolute_url())
    og = opengraph(data)
    assert og["@type"] == ["article"]  # extruct's uniform name for og:type
    assert og["og:title"] == [HOSTILE]
    assert og["og:url"] == [OWN + story.get_absolute_url()]
    assert og["og:image"] == [OWN + story.lead_image.rendition_url(1600)]
    assert og["og:image:alt"] == ["Negotiators at a round table"]
    assert og["article:section"] == ["China"]
    tags = tree.css('meta[property="article:tag"]')
    assert sorted(tag.attributes["content"] for tag in tags) == ["Energy", "Trade"]
    assert datetime.fromisoformat(og["article:published_time"][0]) == (
        story.publish_at.replace(microsecond=0)
    )
    assert og["article:modified_time"]
    assert meta(tree, "twitter:card") == "summary_large_image"
    assert meta(tree, "twitter:image") == OWN + story.lead_image.rendition_url(1600)
    assert meta(tree, "description") == story.standfirst


def test_an_article_without_a_picture_or_byline_still_has_both(client, make_article):
    article = make_article("Plain story")
    data, tree = metadata(client, article.get_absolute_url())
    news = graph(data)["NewsArticle"]
    # The publication stands in as author; its share image as the picture.
    assert news["author"] == [{"@id": OWN + "/#publisher"}]
    assert news["image"][0]["url"].startswith(OWN + "/static/")
    assert meta(tree, "description") == "The body of plain story goes on here."


def test_hostile_titles_cannot_leave_the_json_ld_script(client, story):
    tree = parse(client.get(story.get_absolute_url()))
    scripts = tree.css('script[type="application/ld+json"]')
    assert len(scripts) == 1
    assert "</script>" not in scripts[0].text()
    for script in tree.css("script"):
        if script.attributes.get("type") != "application/ld+json":
            assert "alert" not in script.text()


def test_the_front_page_describes_the_site(client, story):
    data, tree = metadata(client, "/")
    nodes = graph(data)
    assert nodes["WebSite"]["url"] == OWN + "/"
    assert nodes["WebSite"]["potentialAction"]["target"].startswith(OWN + "/search/")
    assert canonical(tree) == [OWN + "/"]
    assert opengraph(data)["@type"] == ["website"]


def test_archive_pages_have_their_own_canonical_and_neighbours(
    client, settings, make_article
):
    settings.NEWSDESK_PAGE_SIZE = 1
    for n in range(3):
        make_article(f"Story {n}", publish_at=timezone.now() - timedelta(hours=n + 1))
    data, tree = metadata(client, "/china/?page=2")
    assert canonical(tree) == [OWN + "/china/?page=2"]
    assert tree.css_first("link[rel=prev]").attributes["href"] == "/china/"
    assert tree.css_first("link[rel=next]").attributes["href"] == "/china/?page=3"
    nodes = graph(data)
    assert nodes["CollectionPage"]["name"] == "China"
    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert [c["item"] for c in crumbs] == [OWN + "/", OWN + "/china/"]
    _, first = metadata(client, "/china/")
    assert canonical(first) == [OWN + "/china/"]
    assert not first.css("link[rel=prev]")


def test_search_results_and_previews_are_kept_out_of_search_engines(
    client, editor_client, make_article
):
    draft = make_article("Unfinished", status=Article.Status.DRAFT)
    for response in (
        client.get("/search/", {"q": "anything"}),
        editor_client.get(f"/desk/preview/{draft.pk}/"),
    ):
        tree = parse(response)
        robots = tree.css_first('meta[name="robots"]').attributes["content"]
        assert robots.startswith("noindex")
        assert response["X-Robots-Tag"].startswith("noindex")
        assert not canonical(tree)
        assert not tree.css('script[type="application/ld+json"]')
