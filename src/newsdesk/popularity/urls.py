from django.urls import path

from newsdesk.popularity import views

app_name = "popularity"
urlpatterns = [path("view/<int:pk>/", views.beacon, name="beacon")]
