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
