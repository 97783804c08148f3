from django.urls import path

from newsdesk.web import views

app_name = "preview"
urlpatterns = [path("<int:pk>/", views.preview, name="article")]
