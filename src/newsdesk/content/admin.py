"""The newsroom (/desk/): the Django admin, shaped for writers and editors."""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from newsdesk.content import desk, publishing
from newsdesk.content.library import LibraryAdmin
from newsdesk.content.models import (
    Article,
    Author,
    Autosave,
    EditConflict,
    Redirect,
    Section,
    Tag,
)
from newsdesk.media.models import Image
from newsdesk.media.rendering import thumbnail


class ArticleForm(forms.ModelForm):
    # The version the editor started from: saving on top of a later one is refused.
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "section", "standfirst", "body", "lead_image",
            "authors", "tags", "status", "publish_at", "featured",
            "seo_title", "seo_description",
        ]  # fmt: skip
        widgets = {"seo_description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.conflict: desk.Conflict | None = None
        self.fields["base_version"].initial = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        if "status" in cleaned:
            # The instance still holds the saved state: ask about the new one.
            proposed = copy.copy(self.instance)
            proposed.status = cleaned["status"]
            try:
                publishing.check(proposed, by=self.user)
            except PermissionDenied as refusal:
                self.add_error("status", str(refusal))
        base = cleaned.get("base_version")
        if self.instance.pk and base is not None:
            self.conflict = desk.find_conflict(self.instance.pk, base)
        if self.conflict is not None:
            # Their text stays in the form; saving again, now that they have
            # seen what changed, replaces the other version (which stays in the
            # history).
            self.data = self.data.copy()
            self.data[self.add_prefix("base_version")] = self.conflict.current_version
            raise ValidationError(self.conflict.message, code="edit_conflict")
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/content/article/change_form.html"
    view_on_site = False
    list_display = [
        "title",
        "state",
        "section",
        "publish_at",
        "byline",
        "updated_at",
    ]
    list_filter = ["status", "section", "featured", "authors", "tags"]
    list_select_related = ["section"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags", "authors", "lead_image"]
    readonly_fields = ["created_at", "updated_at", "lead_image_preview"]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "section",
                    "standfirst",
                    "body",
                    "base_version",
                ]
            },
        ),
        ("Image", {"fields": ["lead_image", "lead_image_preview"]}),
        (
            "Search engines",
            {
                "classes": ["collapse"],
                "description": "Optional: when empty, search engines and social "
                "sites show the headline and the standfirst.",
                "fields": ["seo_title", "seo_description"],
            },
        ),
        ("People and tags", {"fields": ["authors", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "featured",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return RequestForm

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not publishing.can_publish(request.user):
            # When and how prominently an article appears is the editors' call.
            fields += ["publish_at", "featured"]
        return fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        articles = super().get_queryset(request).prefetch_related("authors")
        if publishing.can_publish(request.user):
            return articles
        return articles.filter(created_by=request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or publishing.can_publish(request.user):
            return True
        # Writers edit their own drafts only; a published article is the desk's.
        return (
            obj.created_by_id == request.user.pk and obj.status == Article.Status.DRAFT
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or publishing.can_publish(request.user)
        )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return publishing.can_publish(request.user)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        author = getattr(request.user, "author", None)
        if author is not None:
            initial.setdefault("authors", [author.pk])
        return initial

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool):
        """Save the article, its tags and authors and its revision, as one."""
        if change:
            # Save on top of the version the editor saw, or not at all.
            obj.version = form.cleaned_data["base_version"]
        publishing.save(
            obj,
            by=request.user,
            tags=form.cleaned_data.get("tags"),
            authors=form.cleaned_data.get("authors"),
            checked=True,  # By the form, which reports a refusal on its field.
        )
        Autosave.objects.filter(article=obj, user=request.user).delete()
        desk.note_submission(request)

    def save_related(self, request: HttpRequest, form, formsets, change: bool):
        # The tags and authors were saved with the article (save_model), so
        # its revision holds them; only inlines, if any, are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between the form's check and this save. Validating
            # again reports the conflict, with the editor's text kept.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        return desk.history(self, request, object_id)

    def get_urls(self):
        mine = [
            path("<int:pk>/history/compare/", self.admin_site.admin_view(
                desk.compare_view(self)), name="content_article_compare"),
            path("<int:pk>/history/<int:number>/restore/", self.admin_site.admin_view(
                desk.restore_view(self)), name="content_article_restore"),
            path("<int:pk>/presence/", self.admin_site.admin_view(
                desk.presence_view(self)), name="content_article_presence"),
            path("<int:pk>/autosave/", self.admin_site.admin_view(
                desk.autosave_view(self)), name="content_article_autosave"),
        ]  # fmt: skip
        return mine + super().get_urls()

    @admin.display(description="Status", ordering="status")
    def state(self, obj: Article) -> str:
        if obj.is_scheduled:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="Current lead image")
    def lead_image_preview(self, obj: Article) -> str:
        if obj.lead_image is None:
            return "None. Choose one from the media library above."
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:media_image_change", args=[obj.lead_image_id]),
            thumbnail(obj.lead_image, width=240),
        )

    @admin.display(description="Authors")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.authors.all())

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]):
        published = 0
        for article in queryset:
            # An article already public keeps its time, and so its address.
            if not article.is_public:
                publishing.publish(article, by=request.user)
                published += 1
        self.message_user(request, f"Published {published} article(s).")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Article]):
        for article in queryset:
            publishing.unpublish(article=article, by=request.user)
        self.message_user(
            request, f"Unpublished {len(queryset)} article(s).", messages.WARNING
        )

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = context.get("original")
        if obj is not None and obj.pk:
            context["preview_url"] = reverse("preview:article", args=[obj.pk])
            if obj.is_public:
                context["public_url"] = obj.get_absolute_url()
            context |= desk.change_form_context(request, obj)
        else:
            # A new article's text is kept in the browser only, until saved.
            context["desk_config"] = {
                "storageKey": "newsdesk-autosave-new",
                "saved": desk.saved_submissions(request),
            }
        context["conflict"] = getattr(context.get("adminform"), "form", None) and (
            context["adminform"].form.conflict
        )
        context["now"] = timezone.now()
        return super().render_change_form(request, context, add, change, **kwargs)


# The media library, with what only content knows: where each image is used.
admin.site.register(Image, LibraryAdmin)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["path", "article", "created_at"]
    search_fields = ["path", "article__title"]
    raw_id_fields = ["article"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str):
    """Answer the admin's "view on site" shortcut, never with a draft's address.

    Django's shortcut redirects any staff member to any object's address; an
    article's is its own only once readers may see it.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut
    from django.http import Http404

    article_type = ContentType.objects.get_for_model(Article)
    if content_type_id == article_type.pk and not (
        Article.objects.published().filter(pk__in=_int_or_none(object_id)).exists()
    ):
        raise Http404("No published article")
    return shortcut(request, content_type_id, object_id)


def _int_or_none(value: str) -> list[int]:
    return [int(value)] if value.isdigit() else []
