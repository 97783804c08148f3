"""The site's addresses: the newsroom under /desk/, everything else public."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from newsdesk.content.admin import view_on_site
from newsdesk.content.logins import NewsroomLoginForm
from newsdesk.web import health

admin.site.site_header = "Newsdesk newsroom"
admin.site.site_title = "Newsdesk newsroom"
admin.site.index_title = "Newsroom"
admin.site.site_url = "/"
admin.site.login_form = NewsroomLoginForm

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("popularity/", include("newsdesk.popularity.urls")),
    path("desk/preview/", include("newsdesk.web.preview_urls")),
    # Before the admin's own route: no "view on site" for drafts.
    path(
        "desk/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view-on-site",
    ),
    path("desk/", admin.site.urls),
    path("", include("newsdesk.web.urls")),
]

if settings.NEWSDESK_SERVE_MEDIA:
    # Small sites serve uploads themselves; bigger ones put nginx or S3 in front.
    urlpatterns.insert(
        0,
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    )

handler403 = "newsdesk.web.views.permission_denied"
handler404 = "newsdesk.web.views.page_not_found"
handler500 = "newsdesk.web.views.server_error"
