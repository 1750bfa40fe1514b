"""Tables for sources.citations.syntax."""

import pytest

from sources.citations.syntax import (
    MAX_LOCATOR,
    MAX_QUOTE,
    CitationRef,
    CitationSyntaxError,
    find_groups,
    format_ref,
    parse_evidence,
    parse_group,
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
        ('[@a, p. 3 "so it was"]', [CitationRef("a", "p. 3", "so it was")]),
        ('[@a,p. 3"so it was"]', [CitationRef("a", "p. 3", "so it was")]),
        ("[@a, para. 4]", [CitationRef("a", "para. 4")]),
        ("[@a, pp. 3–5 ]", [CitationRef("a", "pp. 3–5")]),
        ('[@a, "x"]', [CitationRef("a", quote="x")]),  # an empty locator is no locator
        ('[@a "x"; @b "y"]', [CitationRef("a", quote="x"), CitationRef("b", quote="y")]),
        (
            '[@a;@b, p. 2; @c "z"]',
            [CitationRef("a"), CitationRef("b", "p. 2"), CitationRef("c", quote="z")],
        ),
        ('[\n  @a "x";\n  @b "y"\n]', [CitationRef("a", quote="x"), CitationRef("b", quote="y")]),
        # escapes
        (r'[@a "he said \"no\""]', [CitationRef("a", quote='he said "no"')]),
        (r'[@a "C:\\temp"]', [CitationRef("a", quote="C:\\temp")]),
        (r'[@a "a \n b"]', [CitationRef("a", quote="a \\n b")]),  # other backslashes stay
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
        ("[@a “a \\” inside”]", [CitationRef("a", quote="a ” inside")]),
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
        ('[@ "x"]', 'Missing key after "@"'),
        ("[@]", 'Missing key after "@"'),
        ('[a "x"]', 'A citation starts with "[@", not "[a "x"]"'),
        ("a [@a]", 'A citation starts with "[@"'),
        ('[@a "x"; b "y"]', 'Expected "@key" but found "b "y"]"'),
        ('[@a "x";]', 'Expected "@key" but found "]"'),
        ('[@a "x" @b "y"]', 'Text after the quote "@b "y"]"'),
        ('[@a "x" and more]', 'Text after the quote "and more]"'),
        ("[@a p. 3]", 'Expected ",", a quote, ";" or "]" after "@a"'),
        (
            f'[@ric-1999 "{MASUD}]',
            'Unclosed quote in citation starting "[@ric-1999 "Ahmad Shah Mas\'ud,…"',
        ),
        ('[@a “curly never closed"]', "Unclosed quote"),
        ('[@a ""]', "Empty quote"),
        ("[@a, p. 3", 'Missing "]" in citation starting "[@a, p. 3"'),
        ('[@a "x"', 'Missing "]"'),
        ('[@a "x"] trailing', 'Text after the closing "]"'),
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
    locator, quote = "p. " + "1" * (MAX_LOCATOR - 3), 'x\\"' * (MAX_QUOTE // 2)
    assert parse_group(f'[@a, {locator} "{quote}"]') == [
        CitationRef("a", locator, 'x"' * (MAX_QUOTE // 2))  # an escape is one character
    ]


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
            'Founded in 1992.[@a "In 1992"] It fell apart.[@b; @c, p. 2]',
            [
                (16, 30, [CitationRef("a", quote="In 1992")]),
                (45, 59, [CitationRef("b"), CitationRef("c", "p. 2")]),
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
            '  [@a "x"]\n\n[@b, p. 2 "y"; @c]  ',
            [CitationRef("a", quote="x"), CitationRef("b", "p. 2", "y"), CitationRef("c")],
        ),
        # groups separated by ";" as citations within a group are
        ('[@a "x"]; [@b "y"]', [CitationRef("a", quote="x"), CitationRef("b", quote="y")]),
        ('[@a "x"] ;\n[@b "y"];', [CitationRef("a", quote="x"), CitationRef("b", quote="y")]),
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
        ('[@a "x"] because reasons', 'found "because reasons"'),
        ('[@a "x"], [@b]', 'found ", [@b]"'),
        ('[@a "x"];; [@b]', 'found "; [@b]"'),
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
        (CitationRef("a", "p. 3", "so it was"), '[@a, p. 3 "so it was"]'),
        (CitationRef("a", quote='he said "no"'), r'[@a "he said \"no\""]'),
        (CitationRef("a", quote="C:\\temp\\"), r'[@a "C:\\temp\\"]'),
        (CitationRef("a", quote="“curly” [and] ; odd"), '[@a "“curly” [and] ; odd"]'),
        (CitationRef("a", quote=" spaced\n"), '[@a " spaced\n"]'),
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
        (CitationRef("a", quote="x"), False),
    ],
)
def test_is_whole_document(ref, whole):
    assert ref.is_whole_document is whole
