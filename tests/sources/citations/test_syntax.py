"""Tables for sources.citations.syntax."""

import pytest

from sources.citations.syntax import (
    MAX_LOCATOR,
    MAX_QUOTE,
    PASSAGE_RULE,
    CitationRef,
    CitationSyntaxError,
    find_groups,
    format_ref,
    parse_evidence,
    parse_group,
    read_group,
    short_quote,
)
from sources.models import Citation

MASUD = "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("[@a]", [CitationRef("a")]),
        ("[ @uscis-1999-afg00001 ]", [CitationRef("uscis-1999-afg00001")]),
        ("[@doc_2.v1]", [CitationRef("doc_2.v1")]),
        (f'[@ric-1999 "{MASUD}"]', [CitationRef("ric-1999", quote=MASUD)]),
        ('[@a, p. 3 "so it was said"]', [CitationRef("a", "p. 3", "so it was said")]),
        ('[@a,p. 3"so it was said"]', [CitationRef("a", "p. 3", "so it was said")]),
        ("[@a, para. 4]", [CitationRef("a", "para. 4")]),
        ("[@a, pp. 3–5 ]", [CitationRef("a", "pp. 3–5")]),
        (
            '[@a, "the first passage"]',
            [CitationRef("a", quote="the first passage")],
        ),  # an empty locator is no locator
        (
            '[@a "the first passage"; @b "the second passage"]',
            [
                CitationRef("a", quote="the first passage"),
                CitationRef("b", quote="the second passage"),
            ],
        ),
        (
            '[@a;@b, p. 2; @c "the third passage"]',
            [
                CitationRef("a"),
                CitationRef("b", "p. 2"),
                CitationRef("c", quote="the third passage"),
            ],
        ),
        (
            '[\n  @a "the first passage";\n  @b "the second passage"\n]',
            [
                CitationRef("a", quote="the first passage"),
                CitationRef("b", quote="the second passage"),
            ],
        ),
        # escapes
        (r'[@a "he said \"no\""]', [CitationRef("a", quote='he said "no"')]),
        (r'[@a "saved in C:\\temp"]', [CitationRef("a", quote="saved in C:\\temp")]),
        (r'[@a "one \n two three"]', [CitationRef("a", quote="one \\n two three")]),  # others stay
        # brackets and semicolons are plain text inside a quote
        (
            '[@a "[My forces] want to defend; they want to fight"]',
            [CitationRef("a", quote="[My forces] want to defend; they want to fight")],
        ),
        (
            '[@a "ends with a bracket]"; @b]',
            [CitationRef("a", quote="ends with a bracket]"), CitationRef("b")],
        ),
        # curly quotes delimit like straight ones, and each kind may hold the other
        ("[@a “Given the shift”]", [CitationRef("a", quote="Given the shift")]),
        ('[@a, p. 1 “forces," Noor told”]', [CitationRef("a", "p. 1", 'forces," Noor told')]),
        (
            '[@a "“the legitimate caretaker president”"]',
            [CitationRef("a", quote="“the legitimate caretaker president”")],
        ),
        ("[@a “a \\” stands inside”]", [CitationRef("a", quote="a ” stands inside")]),
        # quotes keep their inner white space; anchoring forgives it
        (
            '[@a " two  spaces\nand a newline "]',
            [CitationRef("a", quote=" two  spaces\nand a newline ")],
        ),
    ],
)
def test_parse_group(group, expected):
    assert parse_group(group) == expected


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("[@Bad Key]", 'Bad key "@Bad"'),
        ("[@ric_1999X]", 'Bad key "@ric_1999X"'),
        ("[@-a]", 'Bad key "@-a"'),
        ('[@ "the first passage"]', 'Missing key after "@"'),
        ("[@]", 'Missing key after "@"'),
        ('[a "the first passage"]', 'A citation starts with "[@", not "[a "the first passage"]"'),
        ("a [@a]", 'A citation starts with "[@"'),
        (
            '[@a "the first passage"; b "the second passage"]',
            'Expected "@key" but found "b "the sec…"',
        ),
        ('[@a "the first passage";]', 'Expected "@key" but found "]"'),
        ('[@a "the first passage" @b "the second passage"]', 'Text after the quote "@b "the se…"'),
        ('[@a "the first passage" and more]', 'Text after the quote "and more]"'),
        ("[@a p. 3]", 'Expected ",", a quote, ";" or "]" after "@a"'),
        (
            f'[@ric-1999 "{MASUD}]',
            'Unclosed quote in citation starting "[@ric-1999 "Ahmad Shah Mas\'ud,…"',
        ),
        ('[@a “curly never closed"]', "Unclosed quote"),
        ('[@a ""]', "Empty quote"),
        ("[@a, p. 3", 'Missing "]" in citation starting "[@a, p. 3"'),
        ('[@a "the first passage"', 'Missing "]"'),
        ('[@a "the first passage"] trailing', 'Text after the closing "]"'),
        # a double quote inside the passage ends the quote early: the message says what to do
        (
            '[@a "he said "no" twice"]',
            'Text after the quote "no" twice"…" in citation starting "[@a "he said "no" twice"]". '
            'If the passage holds double quotes, write each as \\" or put the passage in '
            "“curly quotes”",
        ),
        # too long for what they are: the locator's column, a passage rather than a document
        (
            f"[@a, p. {'1' * 98}]",
            'A locator of 101 characters in citation starting "[@a, p. 1111111111111111111111…": '
            'a locator may have 100 characters at most, such as "p. 3"',
        ),
        (
            f'[@a "{"x" * 1001}"]',
            'A quote of 1,001 characters in citation starting "[@a "xxxxxxxxxxxxxxxxxxxxxxxxx…": '
            "a quote is a passage, not a document: quote at most 1,000 characters",
        ),
    ],
)
def test_parse_group_rejects_malformed_groups(group, message):
    with pytest.raises(CitationSyntaxError) as raised:
        parse_group(group)
    assert message in str(raised.value)


def test_a_locator_and_a_quote_at_their_limits_are_read():
    locator, quote = "p. " + "1" * (MAX_LOCATOR - 3), 'a \\"' * (MAX_QUOTE // 3) + "b"
    assert parse_group(f'[@a, {locator} "{quote}"]') == [
        CitationRef("a", locator, 'a "' * (MAX_QUOTE // 3) + "b")  # an escape is one character
    ]


@pytest.mark.parametrize(
    ("quote", "problem"),
    [
        ("Kabul", "A quote of 1 word"),
        ("President Najibullah", "A quote of 2 words"),
        ("— Massoud, 1998 —", "A quote of 2 words"),  # a dash is no word
        ("a b c", "A quote of 5 characters"),
        ("a bb cccc d", "A quote of 11 characters"),
        ("a  bb\n   cccc d", "A quote of 11 characters"),  # a run of space counts once
    ],
)
def test_a_quote_shorter_than_a_passage_is_refused_naming_the_rule(quote, problem):
    for read in (parse_group, parse_evidence, find_groups):
        with pytest.raises(CitationSyntaxError) as raised:
            read(f'[@a, p. 3 "{quote}"]')
        assert str(raised.value).startswith(f'{problem} in citation starting "[@a, p. 3')
        assert str(raised.value).endswith(
            ": a quote is a passage, not a word: quote at least 3 words and 12 characters"
        )
        assert raised.value.position == len("[@a, p. 3 ")  # at the opening quote


@pytest.mark.parametrize("quote", ["a bb cccc dd", "Massoud led it", "In 1992, the Alliance"])
def test_a_passage_of_three_words_and_twelve_characters_is_read(quote):
    assert short_quote(quote) == ""
    assert parse_evidence(f'[@a "{quote}"]') == [CitationRef("a", quote=quote)]


def test_a_short_quote_in_a_later_citation_of_a_group_is_refused_too():
    with pytest.raises(CitationSyntaxError, match=PASSAGE_RULE):
        parse_group('[@a "the first passage"; @b, p. 2 "Kabul"]')


def test_a_quote_ended_early_by_a_double_quote_says_how_to_write_one_not_that_it_is_short():
    with pytest.raises(CitationSyntaxError) as raised:
        parse_group('[@a "he said "no" twice"]')
    assert "Text after the quote" in str(raised.value)
    assert PASSAGE_RULE not in str(raised.value)


def test_reading_without_the_passage_rule_reads_what_was_saved_before_it():
    assert read_group('[@a "Kabul"] more', 0, passages=False) == (
        [CitationRef("a", quote="Kabul")],
        12,
    )
    with pytest.raises(CitationSyntaxError, match="A quote of 1 word"):
        read_group('[@a "Kabul"] more', 0)


def test_the_locator_limit_is_the_column_that_stores_it():
    assert Citation._meta.get_field("locator").max_length == MAX_LOCATOR


def test_syntax_error_points_at_the_opening_quote():
    with pytest.raises(CitationSyntaxError) as raised:
        find_groups('Text. [@a "never closed')
    assert raised.value.position == 10
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("No citations [here] or [[Ahmad Shah Massoud]].", []),
        ("[[Northern Alliance|the Alliance]] and [see @a]", []),  # "@" must come first
        ("Mail [me@example.org] or [ 1 ].", []),
        (r"Escaped \[@a] is literal text.", []),
        (
            'Founded in 1992.[@a "In 1992, it was founded"] It fell apart.[@b; @c, p. 2]',
            [
                (16, 46, [CitationRef("a", quote="In 1992, it was founded")]),
                (61, 75, [CitationRef("b"), CitationRef("c", "p. 2")]),
            ],
        ),
        ("[[Kabul]][ @k]", [(9, 14, [CitationRef("k")])]),
        (r"A backslash \\[@a]", [(14, 18, [CitationRef("a")])]),
        (
            'Quote [@a "with [brackets] inside"] ok',
            [(6, 35, [CitationRef("a", quote="with [brackets] inside")])],
        ),
    ],
)
def test_find_groups(text, expected):
    assert find_groups(text) == expected
    assert all(text[start] == "[" and text[end - 1] == "]" for start, end, _ in expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Fine [@a] then [@Bad]",
            'Bad key "@Bad" in citation starting "[@Bad]": keys use lower-case',
        ),
        ('Broken [@a "quote] forever', "Unclosed quote"),
    ],
)
def test_find_groups_rejects_malformed_groups(text, message):
    with pytest.raises(CitationSyntaxError) as raised:
        find_groups(text)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[@a]", [CitationRef("a")]),
        (
            '  [@a "the first passage"]\n\n[@b, p. 2 "the second passage"; @c]  ',
            [
                CitationRef("a", quote="the first passage"),
                CitationRef("b", "p. 2", "the second passage"),
                CitationRef("c"),
            ],
        ),
        # groups separated by ";" as citations within a group are
        (
            '[@a "the first passage"]; [@b "the second passage"]',
            [
                CitationRef("a", quote="the first passage"),
                CitationRef("b", quote="the second passage"),
            ],
        ),
        (
            '[@a "the first passage"] ;\n[@b "the second passage"];',
            [
                CitationRef("a", quote="the first passage"),
                CitationRef("b", quote="the second passage"),
            ],
        ),
    ],
)
def test_parse_evidence(text, expected):
    assert parse_evidence(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Evidence needs at least one citation"),
        (" \n ", "Evidence needs at least one citation"),
        (
            "Massoud led it.",
            'Evidence may hold only citations such as [@key "quoted words"], '
            'found "Massoud led it."',
        ),
        ('[@a "the first passage"] because reasons', 'found "because reasons"'),
        ('[@a "the first passage"], [@b]', 'found ", [@b]"'),
        ('[@a "the first passage"];; [@b]', 'found "; [@b]"'),
        ("; [@a]", 'found "; [@a]"'),
        ("[@a, p. 3", 'Missing "]"'),
    ],
)
def test_parse_evidence_rejects_anything_but_citations(text, message):
    with pytest.raises(CitationSyntaxError) as raised:
        parse_evidence(text)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("ref", "markup"),
    [
        (CitationRef("a"), "[@a]"),
        (CitationRef("a", "para. 4"), "[@a, para. 4]"),
        (CitationRef("a", "p. 3", "so it was said"), '[@a, p. 3 "so it was said"]'),
        (CitationRef("a", quote='he said "no"'), r'[@a "he said \"no\""]'),
        (CitationRef("a", quote="saved in C:\\temp\\"), r'[@a "saved in C:\\temp\\"]'),
        (CitationRef("a", quote="“curly” [and] ; odd"), '[@a "“curly” [and] ; odd"]'),
        (CitationRef("a", quote=" spaced out words\n"), '[@a " spaced out words\n"]'),
    ],
)
def test_format_ref_round_trips(ref, markup):
    assert format_ref(ref) == markup
    assert parse_group(markup) == [ref]


@pytest.mark.parametrize(
    "ref",
    [CitationRef("Bad"), CitationRef(""), CitationRef("a", 'p. "3"'), CitationRef("a", "p. 3; 4")],
)
def test_format_ref_refuses_what_markup_cannot_say(ref):
    with pytest.raises(CitationSyntaxError, match="cannot be written as a citation"):
        format_ref(ref)


@pytest.mark.parametrize(
    ("ref", "whole"),
    [
        (CitationRef("a"), True),
        (CitationRef("a", "p. 3"), True),
        (CitationRef("a", quote="the first passage"), False),
    ],
)
def test_is_whole_document(ref, whole):
    assert ref.is_whole_document is whole
