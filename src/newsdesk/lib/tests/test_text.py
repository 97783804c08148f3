from newsdesk.lib.text import truncate


def test_it_cuts_after_the_given_number_of_words():
    text = "Players navigating through the vast world of Candy Crush meet new levels."
    assert truncate(text, words=7) == "Players navigating through the vast world of..."


def test_it_leaves_short_text_whole_without_an_ellipsis():
    assert truncate("Short and sweet.", words=7) == "Short and sweet."


def test_it_never_cuts_inside_a_word_when_a_character_limit_bites():
    text = "Internationalization considerations complicate straightforward truncation"
    result = truncate(text, words=7, chars=40)
    assert result.endswith("...")
    assert text.startswith(result[:-3])
    assert text[len(result) - 3] == " "


def test_it_drops_punctuation_before_the_ellipsis():
    assert truncate("Manus AI, a rapidly emerging agent", words=2) == "Manus AI..."


def test_it_collapses_whitespace_and_newlines():
    assert truncate("One\n\n two\tthree four", words=3) == "One two three..."


def test_it_cuts_text_without_spaces_at_the_character_limit():
    text = "中俄战略安全磋商" * 10
    result = truncate(text, words=7, chars=20)
    assert result == text[:20] + "..."


def test_a_cut_after_a_full_stop_does_not_pile_up_dots():
    assert truncate("It ended. Then more came.", words=2) == "It ended..."
