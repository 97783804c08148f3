from newsdesk.lib.yoast import fill

VALUES = {"title": "Ferry back", "sitename": "Herald", "excerpt": "It sails."}


def test_variables_are_replaced_and_whitespace_collapsed():
    assert fill("%%title%%  %%sep%%\n%%sitename%%", VALUES) == "Ferry back - Herald"
    assert fill("%%excerpt%% More inside.", VALUES) == "It sails. More inside."


def test_unknown_variables_go_with_the_separators_they_leave():
    assert fill("%%title%% %%sep%% %%page%% %%sep%% %%sitename%%", VALUES) == (
        "Ferry back - Herald"
    )
    assert fill("%%primary_category%% %%sep%% %%title%% %%sep%%", VALUES) == (
        "Ferry back"
    )


def test_text_without_variables_is_kept():
    assert fill("Ferry back: all you need to know", VALUES) == (
        "Ferry back: all you need to know"
    )
    assert fill("", VALUES) == ""
