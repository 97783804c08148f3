from django.urls import path, re_path, register_converter

from newsdesk.web import feeds, sitemaps, views


class UnicodeSlugConverter:
    """A slug in any script, as `slugify(..., allow_unicode=True)` makes them.

    `<slug:…>` is ASCII only; sections, tags and authors imported from
    WordPress keep their Chinese, Polish or Greek slugs.
    """

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "web"
urlpatterns = [
    path("", views.front, name="front"),
    path("search/", views.search, name="search"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap-news"),
    re_path(
        r"^sitemap-(?P<name>[a-z]+(?:-\d{4}-\d{2})?)\.xml$",
        sitemaps.sitemap,
        name="sitemap",
    ),
    re_path(
        r"^sitemap-(?P<name>[a-z]+(?:-\d{4}-\d{2})?)-(?P<page>[1-9]\d{0,5})\.xml$",
        sitemaps.sitemap,
        name="sitemap-page",
    ),
    path("feed/", feeds.LatestFeed(), name="feed"),
    path("feed/atom/", feeds.LatestAtomFeed(), name="feed-atom"),
    path("tag/<uslug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<uslug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("author/<uslug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path(
        "author/<uslug:slug>/feed/atom/",
        feeds.AuthorAtomFeed(),
        name="author-feed-atom",
    ),
    path("<uslug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("<uslug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("tag/<uslug:slug>/", views.tag, name="tag"),
    path("author/<uslug:slug>/", views.author, name="author"),
    re_path(
        r"^(?P<section>[-\w]+)/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/"
        r"(?P<slug>[-\w]+)/$",
        views.article,
        name="article",
    ),
    path("<uslug:slug>/", views.section, name="section"),
]
