"""Pages at addresses in any script: cached once however the address is written."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("caches_on"),
]


def test_one_cache_entry_serves_the_encoded_and_the_unicode_address(
    client, make_article, make_section
):
    section = make_section("技术", slug="技术")
    article = make_article("调试 nginx", slug="调试nginx", section=section)
    encoded = article.get_absolute_url()
    assert encoded.isascii()
    first = client.get(encoded)
    assert (first.status_code, first["X-Cache"]) == (200, "MISS")
    for same in (unquote(encoded), encoded.lower()):
        again = client.get(same)
        assert (again.status_code, again["X-Cache"]) == (200, "HIT"), same
        assert again.content == first.content
    article.title = "调试 nginx（更正）"
    article.save()
    assert "（更正）" in client.get(unquote(encoded)).content.decode()
    listing = client.get(section.get_absolute_url())
    assert listing.status_code == 200
    assert "（更正）" in listing.content.decode()
