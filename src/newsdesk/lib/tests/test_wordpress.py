"""WordPress content to HTML: wpautop as WordPress does it, blocks, shortcodes."""

from newsdesk.lib.wordpress import (
    Image,
    attributes,
    convert_shortcodes,
    remove_block_comments,
    to_html,
    wpautop,
)


def test_double_line_breaks_become_paragraphs_and_single_ones_br():
    assert wpautop("one\ntwo\n\nthree") == "<p>one<br />\ntwo</p>\n<p>three</p>\n"


def test_block_elements_are_not_wrapped_in_paragraphs():
    text = "Intro\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nOutro"
    assert wpautop(text) == (
        "<p>Intro</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>Outro</p>\n"
    )


def test_preformatted_text_keeps_its_blank_lines():
    assert wpautop("<pre>a\n\nb</pre>\n\ntext") == "<pre>a\n\nb</pre>\n<p>text</p>\n"


def test_a_blockquote_gets_its_paragraph_inside():
    assert wpautop("<blockquote>Quoted</blockquote>") == (
        "<blockquote><p>Quoted</p></blockquote>\n"
    )


def test_newlines_inside_tags_are_not_turned_into_breaks():
    assert wpautop('<a\nhref="x">link</a>') == '<p><a\nhref="x">link</a></p>\n'


def test_empty_content_stays_empty():
    assert wpautop("  \n ") == ""


def test_block_comments_go_and_the_blocks_html_stays():
    content = (
        '<!-- wp:paragraph {"align":"center"} -->\n<p>Hi</p>\n<!-- /wp:paragraph -->'
        "<!-- wp:core/latest-posts /--><!-- a comment of the author's -->"
    )
    assert remove_block_comments(content) == (
        "\n<p>Hi</p>\n<!-- a comment of the author's -->"
    )


def test_block_content_is_not_run_through_wpautop():
    html, _ = to_html("<!-- wp:paragraph -->\n<p>a\nb</p>\n<!-- /wp:paragraph -->")
    assert "<br" not in html


def test_a_caption_becomes_a_figure_with_its_caption():
    html, unknown = convert_shortcodes(
        '[caption id="attachment_5" align="alignleft" width="300"]'
        '<a href="/big.jpg"><img src="/small.jpg" alt="Boat" /></a> A boat[/caption]',
        lambda ids: [],
    )
    assert html == (
        '<figure><a href="/big.jpg"><img src="/small.jpg" alt="Boat" /></a>'
        "<figcaption>A boat</figcaption></figure>"
    )
    assert not unknown


def test_a_caption_given_as_an_attribute_is_used():
    html, _ = convert_shortcodes(
        '[caption caption="Old style"]<img src="/a.jpg" />[/caption]', lambda ids: []
    )
    assert "<figcaption>Old style</figcaption>" in html


def test_a_gallery_lists_the_images_it_names():
    asked = []

    def gallery(ids):
        asked.append(ids)
        return [Image("http://x/1.jpg", "One"), Image("http://x/2.jpg", 'Two "2"')]

    html, _ = convert_shortcodes('[gallery columns="2" ids="1, 2"]', gallery)
    assert asked == [[1, 2]]
    assert html == (
        '<figure><img src="http://x/1.jpg" alt="One">'
        '<img src="http://x/2.jpg" alt="Two &quot;2&quot;"></figure>'
    )


def test_a_gallery_without_ids_asks_for_the_posts_own_images():
    asked = []
    convert_shortcodes("[gallery]", lambda ids: asked.append(ids) or [])
    assert asked == [None]


def test_unknown_shortcodes_stay_as_text_and_are_counted():
    html, unknown = convert_shortcodes(
        '[embed]http://v[/embed] [audio src="a.mp3"] [embed] [1] [/embed]',
        lambda ids: [],
    )
    assert html.startswith("[embed]http://v[/embed]")
    assert unknown == {"embed": 2, "audio": 1}


def test_shortcode_attributes_in_any_quoting():
    assert attributes(""" a="1" b='2' c=3 D="x y" """) == {
        "a": "1", "b": "2", "c": "3", "d": "x y"
    }  # fmt: skip
