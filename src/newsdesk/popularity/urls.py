from django.urls import re_path

from newsdesk.popularity import views

app_name = "popularity"
urlpatterns = [
    # At most 18 digits: any id a database key can hold, nothing that overflows it.
    re_path(r"^view/(?P<pk>[1-9][0-9]{0,17})/$", views.beacon, name="beacon"),
]
