from django.urls import path, re_path

from newsdesk.web import views

app_name = "web"
urlpatterns = [
    path("", views.front, name="front"),
    path("search/", views.search, name="search"),
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
