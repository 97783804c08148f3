"""Library images on public pages: srcset, sizes, width, height, alt, lazy."""

from __future__ import annotations

from newsdesk.content.models import Article
from newsdesk.lib.markup import find_images
from newsdesk.tests.support import SEED_ARTICLE_SLUG, parse
from newsdesk.web.tests.test_visibility import crawl


def test_the_lead_image_has_srcset_sizes_dimensions_and_loads_first(
    client, make_article, make_image
):
    image = make_image("Negotiators at a round table", size=(2000, 1000))
    article = make_article(lead_image=image)
    page = parse(client.get(article.get_absolute_url()))
    figure = page.css_first("article .lead-image")
    webp = figure.css_first("picture source[type='image/webp']")
    assert [c.split()[-1] for c in webp.attributes["srcset"].split(", ")] == [
        "480w",
        "960w",
        "1600w",
    ]
    img = figure.css_first("picture img")
    assert img.attributes["alt"] == "Negotiators at a round table"
    assert (img.attributes["width"], img.attributes["height"]) == ("2000", "1000")
    assert img.attributes["srcset"].count(".jpg ") == 3
    assert img.attributes["sizes"] == webp.attributes["sizes"]
    # Above the fold: not lazy.
    assert img.attributes["loading"] == "eager"


def test_the_caption_and_credit_show_under_the_lead_image(
    client, make_article, make_image
):
    image = make_image("A dam", caption="The Three Gorges dam.", credit="Xinhua")
    article = make_article(lead_image=image)
    page = parse(client.get(article.get_absolute_url()))
    caption = page.css_first(".lead-image figcaption")
    assert caption.text(strip=True).startswith("The Three Gorges dam.")
    assert caption.css_first(".credit").text() == "Xinhua"


def test_teaser_images_load_lazily(client, make_article, make_image, make_section):
    make_article("The lead story", featured=True, lead_image=make_image("Lead"))
    make_article("Another story", lead_image=make_image("Teaser picture"))
    page = parse(client.get("/"))
    lead = page.css_first(".lead-story img")
    assert lead.attributes["loading"] == "eager"
    teaser = page.css_first(".teaser img")
    assert teaser.attributes["alt"] == "Teaser picture"
    assert teaser.attributes["loading"] == "lazy"
    assert teaser.attributes["width"] == "1200"


def test_a_body_image_from_the_library_is_shown_from_the_library(
    client, make_article, make_image
):
    image = make_image("A map of the route", size=(1000, 500))
    article = make_article(
        body=(
            "<p>Before.</p><figure>"
            f'<img src="/anything.jpg" alt="" data-file="{image.pk}">'
            "<figcaption>The route</figcaption></figure><p>After.</p>"
        )
    )
    assert f'data-file="{image.pk}"' in article.body
    page = parse(client.get(article.get_absolute_url()))
    img = page.css_first(".article-body figure picture img")
    assert img.attributes["alt"] == "A map of the route"
    assert img.attributes["loading"] == "lazy"
    assert (img.attributes["width"], img.attributes["height"]) == ("1000", "500")
    assert "480w" in img.attributes["srcset"]
    assert page.css_first(".article-body figcaption").text() == "The route"


def test_a_library_address_pasted_into_the_body_is_bound_to_its_image(
    make_article, make_image
):
    image = make_image("A pasted picture")
    article = make_article(body=f'<p><img src="{image.rendition_url(480)}"></p>')
    assert f'data-file="{image.pk}"' in article.body
    assert 'alt="A pasted picture"' in article.body


def test_images_from_outside_the_library_are_dropped_on_save(make_article):
    article = make_article(
        body='<p>Text <img src="https://tracker.example/pixel.gif" alt="x"></p>'
        '<img src="/media/lead/2026/01/old.jpg" alt="y"><img src="x" data-file="999">'
    )
    assert "<img" not in article.body
    assert "Text" in article.body


def test_a_body_image_deleted_from_the_library_disappears_from_the_page(
    client, make_article, make_image
):
    image = make_image("Soon gone")
    article = make_article(body=f'<p>Hi</p><img src="/x" data-file="{image.pk}">')
    image.delete()
    page = parse(client.get(article.get_absolute_url()))
    assert page.css(".article-body img") == []


def test_the_feed_encloses_the_lead_image_with_its_type_and_length(
    client, make_article, make_image
):
    image = make_image("A harbour", fmt="PNG", size=(600, 400))
    make_article(lead_image=image)
    feed = client.get("/feed/").content.decode()
    assert f'length="{image.size}" type="image/png"' in feed
    assert image.url in feed


def test_no_public_page_shows_an_image_without_alt_text(client, demo_site, make_image):
    """Every <img> on every public page has alt text, except the view beacon.

    The beacon (inside <noscript>, 1×1, class "beacon") is not content: an empty
    alt is right for it, so screen readers skip it.
    """
    seed = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    seed.lead_image = make_image("Delegations at the consultations")
    picture = make_image("A chart of the talks", size=(900, 600))
    seed.body += f'<figure><img src="/x.jpg" data-file="{picture.pk}"></figure>'
    seed.save()
    Article.objects.exclude(pk=seed.pk).filter(featured=True).update(
        lead_image=make_image("The lead story's picture")
    )
    pages = crawl(client)
    shown = 0
    for url, html in pages.items():
        if not html.lstrip().lower().startswith("<!doctype html"):
            continue
        for img in find_images(html):
            if img.get("class") == "beacon":
                assert img["src"].startswith("/popularity/")
                assert (img["width"], img["height"], img["alt"]) == ("1", "1", "")
                continue
            shown += 1
            assert img.get("alt", "").strip(), (url, img)
            assert img.get("width") and img.get("height"), (url, img)
    assert shown >= 3
