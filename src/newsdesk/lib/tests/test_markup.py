from newsdesk.lib.markup import clean_html, html_to_text


def test_it_keeps_the_structure_an_article_needs():
    body = (
        "<h2>Context:</h2><p>Text with <strong>bold</strong>, <em>em</em> and "
        '<a href="https://example.org/x">a link</a>.</p>'
        "<ol><li>One</li><li>Two</li></ol><ul><li>Dot</li></ul>"
        "<blockquote><p>Quoted</p></blockquote><h3>Sub</h3>"
    )
    cleaned = clean_html(body)
    for tag in ("<h2>", "<strong>", "<em>", "<ol>", "<ul>", "<blockquote>", "<h3>"):
        assert tag in cleaned
    assert 'href="https://example.org/x"' in cleaned


def test_it_removes_scripts_with_their_content():
    cleaned = clean_html("<p>Hi</p><script>alert('x')</script><style>p{}</style>")
    assert cleaned == "<p>Hi</p>"


def test_it_removes_event_handlers():
    cleaned = clean_html(
        '<p onclick="steal()">Hi <a href="/x" onmouseover="x()">y</a></p>'
    )
    assert "onclick" not in cleaned
    assert "onmouseover" not in cleaned
    assert "Hi" in cleaned


def test_it_removes_javascript_urls():
    for href in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x"):
        cleaned = clean_html(f'<a href="{href}">click</a>')
        assert "alert" not in cleaned
        assert "data:" not in cleaned
        assert "click" in cleaned


def test_it_removes_iframes_forms_and_inline_styles():
    cleaned = clean_html(
        '<iframe src="https://evil.example"></iframe><form><input name=x></form>'
        '<p style="position:fixed">Text</p>'
    )
    assert "<iframe" not in cleaned
    assert "<form" not in cleaned
    assert "<input" not in cleaned
    assert "style" not in cleaned
    assert "Text" in cleaned


def test_it_turns_an_empty_editor_document_into_an_empty_string():
    assert clean_html("<p></p>") == ""
    assert clean_html("  ") == ""


def test_it_extracts_text_with_spaces_between_blocks():
    text = html_to_text("<h2>Title:</h2><p>First&nbsp;para.</p><ol><li>One</li></ol>")
    assert text == "Title: First para. One"
    assert "Title:First" not in text


def test_it_ignores_script_text_when_extracting():
    assert html_to_text("<p>Kept</p><script>var lost = 1;</script>") == "Kept"


def test_library_image_ids_survive_cleaning_and_scripts_do_not():
    from newsdesk.lib.markup import clean_html

    html = clean_html(
        '<figure><img src="/media/a.jpg" alt="A" data-file="7" onerror="x()">'
        "<figcaption>Caption</figcaption></figure>"
    )
    assert 'data-file="7"' in html
    assert "onerror" not in html


def test_it_finds_and_replaces_images_whatever_their_attributes_hold():
    from newsdesk.lib.markup import find_images, replace_images

    html = (
        '<p>a &gt; b</p>\n<img alt="x > y" src="/one.jpg">'
        '<p>then</p><img src="/two.png"/>'
    )
    assert [i["src"] for i in find_images(html)] == ["/one.jpg", "/two.png"]
    replaced = replace_images(html, lambda a: "" if a["src"] == "/two.png" else "[1]")
    assert replaced == "<p>a &gt; b</p>\n[1]<p>then</p>"


def _images(html: str) -> list[dict[str, str]]:
    from newsdesk.lib.markup import find_images

    return find_images(html)


def test_an_image_without_a_usable_source_is_dropped():
    for img in (
        '<img alt="No source">',
        '<img src="" alt="Empty">',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Inline">',
        '<img src="javascript:alert(1)" alt="Script">',
        '<img src="mailto:a@example.org" alt="Mail">',
        '<img data-src="javascript:alert(1)" alt="Lazy script">',
        '<img data-src="data:image/png;base64,AAAA" alt="Lazy inline">',
        '<img data-srcset="javascript:alert(1) 2x" alt="Lazy set">',
    ):
        cleaned = clean_html(f"<p>Before {img} after.</p>")
        assert cleaned == "<p>Before  after.</p>", img


def test_a_lazy_loading_address_becomes_the_source():
    cleaned = clean_html(
        '<p><img src="data:image/gif;base64,R0lGOD" alt="Pier" class="lazy" '
        'data-src="https://example.org/wp-content/uploads/pier-300x200.jpg" '
        'data-srcset="https://example.org/pier-300x200.jpg 300w"></p>'
    )
    real = "https://example.org/wp-content/uploads/pier-300x200.jpg"
    assert _images(cleaned) == [{"src": real, "alt": "Pier"}]
    # Only in a srcset: its widest candidate.
    cleaned = clean_html(
        '<img alt="Boat" data-lazy-srcset="https://x.example/boat-300x200.jpg 300w, '
        'https://x.example/boat-1024x683.jpg 1024w, https://x.example/boat.jpg 640w">'
    )
    assert _images(cleaned)[0]["src"] == "https://x.example/boat-1024x683.jpg"
    # Lazy-loading attributes never reach the stored body.
    assert "data-src" not in cleaned and "srcset" not in cleaned


def test_a_figure_left_without_its_image_keeps_its_caption_as_text():
    cleaned = clean_html(
        '<figure><img data-src="javascript:x"><figcaption>The <em>lake</em>'
        "</figcaption></figure><p>After.</p>"
    )
    assert cleaned == "<p>The <em>lake</em></p><p>After.</p>"
    assert clean_html('<figure><img src="data:x"></figure>') == ""


def test_nested_figures_are_flattened_so_none_is_left_without_its_image():
    cleaned = clean_html(
        '<figure><figure><img src="javascript:x"><figcaption>Lost</figcaption>'
        "</figure></figure><p>After.</p>"
    )
    assert cleaned == "<p>Lost</p><p>After.</p>"
    kept = clean_html(
        '<figure><figure><img src="https://example.org/a.jpg" alt="A">'
        "</figure></figure>"
    )
    assert kept.count("<figure>") == 1 and kept.count("</figure>") == 1
    assert _images(kept) == [{"src": "https://example.org/a.jpg", "alt": "A"}]


def test_an_address_a_browser_reads_as_another_site_is_no_image_source():
    for src in ("//evil.example/a.jpg", "/\\evil.example/a.jpg", "\\\\evil/a.jpg"):
        assert clean_html(f'<p>x<img src="{src}" alt="A"></p>') == "<p>x</p>", src
    assert _images(clean_html('<img src="/media/images/a.jpg" alt="A">')) == [
        {"src": "/media/images/a.jpg", "alt": "A"}
    ]
