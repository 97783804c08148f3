from django.urls import path, re_path

from newsdesk.web import feeds, sitemaps, views

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
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path(
        "author/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"
    ),
    path("<slug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("author/<slug:slug>/", views.author, name="author"),
    re_path(
        r"^(?P<section>[-\w]+)/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/"
        r"(?P<slug>[-\w]+)/$",
        views.article,
        name="article",
    ),
    path("<slug:slug>/", views.section, name="section"),
]
