from newsdesk.lib.searchquery import MAX_PARTS, parse, spaced


def test_words_are_required_one_by_one():
    assert parse("Strategic consultations").phrases == (
        ("strategic",),
        ("consultations",),
    )


def test_quotes_make_a_phrase_and_a_minus_excludes():
    query = parse('"security consultations" russia -trade -"oil price"')
    assert query.phrases == (("security", "consultations"), ("russia",))
    assert query.excluded == (("trade",), ("oil", "price"))


def test_engine_syntax_is_reduced_to_words():
    query = parse('NEAR(a b) * title:"x" (OR) ^c AND')
    assert query.words == ["near", "a", "b", "title", "x", "or", "c", "and"]
    for phrase in query.phrases:
        for word in phrase:
            assert word.isalnum()


def test_an_unbalanced_quote_is_a_phrase_to_the_end():
    assert parse('"strategic security').phrases == (("strategic", "security"),)


def test_empty_and_symbol_only_queries_are_empty():
    for raw in ("", "   ", '""', "- -- ---", "***", "\x00\x01"):
        assert parse(raw).empty, raw


def test_control_characters_separate_words():
    assert parse("china\x00russia\u202etalks").words == ["china", "russia", "talks"]


def test_long_queries_are_cut():
    query = parse("word " * 5000)
    assert len(query.phrases) == MAX_PARTS


def test_chinese_runs_become_phrases_of_characters():
    assert parse("中俄 战略").phrases == (("中", "俄"), ("战", "略"))
    assert spaced("中俄关系 good") == " 中  俄  关  系  good"
