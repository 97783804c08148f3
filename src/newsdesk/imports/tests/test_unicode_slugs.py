"""Addresses as WordPress had them: slugs in any script are kept.

WordPress stores a Chinese slug percent-encoded (`%e8%b0%83%e8%af%95nginx`); the
story keeps it decoded (`调试nginx`) and answers at the old address's path.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

import pytest
from lxml import etree

from newsdesk.content.models import Article, Section, Tag
from newsdesk.imports.importer import Importer
from newsdesk.imports.sources.wordpress import WordPressSource

OWN = "https://news.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DEBUG = "%e8%b0%83%e8%af%95nginx"  # 调试nginx, as WordPress stores it
TECH = "%e6%8a%80%e6%9c%af"  # 技术


def wxr(items: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>博客</title><link>http://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:category><wp:term_id>5</wp:term_id>
<wp:category_nicename><![CDATA[{TECH}]]></wp:category_nicename>
<wp:category_parent><![CDATA[]]></wp:category_parent>
<wp:cat_name><![CDATA[技术]]></wp:cat_name></wp:category>
{items}
</channel></rss>"""


def item(post_id: int, title: str, post_name: str, link: str = "") -> str:
    link = link or f"http://old.example/2024/03/01/{post_name}/"
    return f"""<item><title><![CDATA[{title}]]></title>
<link>{link}</link>
<guid isPermaLink="false">http://old.example/?p={post_id}</guid>
<content:encoded><![CDATA[<p>正文。</p>]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt>
<wp:post_name><![CDATA[{post_name}]]></wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="{TECH}"><![CDATA[技术]]></category>
<category domain="post_tag" nicename="%e8%bf%90%e7%bb%b4"><![CDATA[运维]]></category>
</item>"""


@pytest.fixture(autouse=True)
def own_domain(settings):
    settings.NEWSDESK_SITE_URL = OWN


def run(tmp_path, items: str):
    path = tmp_path / "export.xml"
    path.write_text(wxr(items))
    return Importer(WordPressSource()).run(str(path))


@pytest.mark.django_db
def test_a_chinese_slug_is_kept_and_answers_at_both_addresses(tmp_path, client):
    run(tmp_path, item(7, "调试 nginx 的笔记", DEBUG))
    article = Article.objects.get()
    assert article.slug == "调试nginx"
    assert article.section.slug == "技术"
    assert list(article.tags.values_list("slug", flat=True)) == ["运维"]
    url = article.get_absolute_url()
    assert url.isascii() and unquote(url).endswith("/调试nginx/")
    assert url.startswith("/" + quote("技术") + "/")
    for address in (url, unquote(url), url.lower()):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "调试 nginx 的笔记" in response.content.decode()
    # What a CDN is told the page shows: header-safe, as addresses are.
    keys = response["Surrogate-Key"].split()
    assert "section-" + quote("技术") in keys
    assert "tag-" + quote("运维") in keys


@pytest.mark.django_db
def test_the_old_wordpress_address_redirects_to_the_story(tmp_path, client):
    run(tmp_path, item(7, "调试 nginx 的笔记", DEBUG))
    article = Article.objects.get()
    for old in (
        f"/2024/03/01/{DEBUG}/",  # As WordPress wrote it in the export.
        f"/2024/03/01/{quote('调试nginx')}/",  # As a browser sends it.
        "/2024/03/01/调试nginx/",
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()


@pytest.mark.django_db
def test_unicode_sections_and_tags_have_pages_and_feeds(tmp_path, client):
    run(tmp_path, item(7, "调试 nginx 的笔记", DEBUG))
    section = Section.objects.get(slug="技术")
    tag = Tag.objects.get(slug="运维")
    for url in (section.get_absolute_url(), tag.get_absolute_url()):
        assert url.isascii()
        assert client.get(url).status_code == 200, url
        assert client.get(unquote(url)).status_code == 200, url
        assert client.get(url + "feed/").status_code == 200, url


@pytest.mark.django_db
def test_sitemap_and_feed_links_are_percent_encoded_and_answer(tmp_path, client):
    run(tmp_path, item(7, "调试 nginx 的笔记", DEBUG))
    article = Article.objects.get()
    index = client.get("/sitemap.xml")
    listed = []
    for loc in etree.fromstring(index.content).iter(f"{SM}loc"):
        response = client.get(urlsplit(loc.text).path)
        document = b"".join(response) if response.streaming else response.content
        listed += [e.text for e in etree.fromstring(document).iter(f"{SM}loc")]
    assert OWN + article.get_absolute_url() in listed
    assert OWN + article.section.get_absolute_url() in listed
    for url in listed:
        assert url.isascii(), url
        assert client.get(urlsplit(url).path).status_code == 200, url
    feed = client.get("/feed/").content
    links = [e.text for e in etree.fromstring(feed).iter("link")]
    assert OWN + article.get_absolute_url() in links
    assert all(link.isascii() for link in links)


@pytest.mark.django_db
def test_polish_and_german_titles_keep_their_letters(tmp_path):
    run(
        tmp_path,
        item(8, "Zażółć gęślą jaźń", "", "http://old.example/?p=8")
        + item(9, "Größe über Straße", "", "http://old.example/?p=9"),
    )
    assert set(Article.objects.values_list("slug", flat=True)) == {
        "zażółć-gęślą-jaźń",
        "größe-über-straße",
    }


@pytest.mark.django_db
def test_a_title_with_nothing_to_slug_gets_a_short_stable_slug(tmp_path):
    run(tmp_path, item(12, "…!?", "", "http://old.example/?p=12"))
    assert Article.objects.get().slug == "post-12"


@pytest.mark.django_db
def test_a_second_import_keeps_the_unicode_slug(tmp_path):
    run(tmp_path, item(7, "调试 nginx 的笔记", DEBUG))
    report = run(tmp_path, item(7, "调试 nginx 的笔记", DEBUG))
    assert report.unchanged == 1
    assert list(Article.objects.values_list("slug", flat=True)) == ["调试nginx"]
