"""The newsroom's roles, kept as groups: Writer and Editor."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

WRITER = "Writer"
EDITOR = "Editor"

ROLE_PERMISSIONS = {
    WRITER: [
        "content.add_article",
        "content.change_article",
        "content.view_article",
        "content.view_section",
        "content.view_tag",
        "content.add_tag",
        "content.view_author",
        "media.add_image",
        "media.change_image",
        "media.view_image",
    ],
    EDITOR: [
        f"content.{action}_{model}"
        for model in ("article", "section", "tag", "author")
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "content.publish_article",
        "content.view_redirect",
        "content.delete_redirect",
        "popularity.view_hourlyviews",
    ]
    + [f"media.{action}_image" for action in ("add", "change", "delete", "view")],
}


def ensure_roles(**kwargs) -> None:
    """Create the role groups and give them exactly their permissions."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
