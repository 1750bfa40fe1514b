"""Tables for sources.citations.anchoring, on passages copied verbatim from the demo corpus."""

import time

import pytest

from sources.citations import anchoring
from sources.citations.anchoring import Anchor, closest_passage, context_around, find_quote

# 000 (USCIS, 1999): straight apostrophes, sentences separated by a no-break space and a space.
USCIS = (
    "In 1992, the Northern Alliance was established in opposition of the communist government "
    "led by President Najibullah.\u00a0 The group consisted of General Abdul Rashid Dostum, former "
    "head of Najibullah's militia forces; Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party; "
    "and Hezb-e Wahdat, a pro-Shi'a party.\u00a0 The Northern Alliance was instrumental in "
    "bringing down Najibullah's government in April 1992, but disintegrated shortly after its "
    "victory due to power struggles within the group."
)
USCIS_DASHES = (
    "Just three months later, the Taliban made its third attempt to seize Mazar-i-Sharif, the last "
    "Afghan city that the Alliance still controlled--this time they were successful."
)
USCIS_QUOTED = (
    'as the primary actors in these incidents.\u00a0 "Rabbani only received nominal support from '
    'General Dostum and the Hezb-e Wahdat." (State Department, 1999)'
)
# 001 (Afghanistan Today, 2015): opens with a curly quote and closes with a straight one.
NOOR = (
    "Late last month, Governor Noor and First Vice President Dostum set aside old feuds to "
    "announce they would unite to fight the Taliban offensive destabilising Badakhshan and "
    "Kunduz. “Given the shift in the geography of war from the south to the north, with ISIS "
    "trying to gain ground in the North and the escalation of Taliban operations in northern "
    "provinces, the two parties decided to defend northern Afghanistan alongside Afghan national "
    'security forces," Noor told the BBC'
)
# 002 (The Independent, 2021): typographic dashes and apostrophes, no-break spaces.
SALEH = (
    "Among them are Afghanistan’s first vice president, Amrullah Saleh, who – in the wake of "
    "Ashraf Ghani’s flight to\u00a0the United Arab Emirates\u00a0on Sunday – has declared himself "
    "“the legitimate caretaker president” under the constitution brokered by the US in 2004."
)
PANJSHIR = (
    "the natural fortress of Panjshir Valley has been a stronghold of resistance for decades "
    "–\u00a0holding out first against the Soviets in the 1980s"
)


@pytest.mark.parametrize(
    ("text", "quote", "passage", "method"),
    [
        (USCIS, "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party", None, "exact"),
        (USCIS, "  Ahmad Shah Mas'ud  \n", "Ahmad Shah Mas'ud", "exact"),
        # white space: a plain space for NBSP + space, a newline for a space
        (
            USCIS,
            "President Najibullah. The group",
            "President Najibullah.\u00a0 The group",
            "normalised",
        ),
        (USCIS, "Abdul Rashid\nDostum", "Abdul Rashid Dostum", "normalised"),
        # apostrophes: the file has a straight one, the typist pasted a curly one
        (
            USCIS,
            "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party",
            "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party",
            "normalised",
        ),
        (SALEH, "Ashraf Ghani's flight", "Ashraf Ghani’s flight", "normalised"),
        # double quotes, both ways round, next to regex metacharacters
        (
            NOOR,
            '"Given the shift in the geography',
            "“Given the shift in the geography",
            "normalised",
        ),
        (NOOR, "security forces,” Noor told", 'security forces," Noor told', "normalised"),
        (
            USCIS_QUOTED,
            "“Rabbani only received nominal support from General Dostum and the Hezb-e Wahdat.” "
            "(State Department, 1999)",
            '"Rabbani only received nominal support from General Dostum and the Hezb-e Wahdat." '
            "(State Department, 1999)",
            "normalised",
        ),
        (
            SALEH,
            '"the legitimate caretaker president"',
            "“the legitimate caretaker president”",
            "normalised",
        ),
        # dashes: any kind for any kind, and a run of them for a run
        (PANJSHIR, "for decades - holding out", "for decades –\u00a0holding out", "normalised"),
        (
            SALEH,
            "Amrullah Saleh, who — in the wake of Ashraf Ghani's flight to the United Arab "
            "Emirates",
            "Amrullah Saleh, who – in the wake of Ashraf Ghani’s flight to\u00a0the United Arab "
            "Emirates",
            "normalised",
        ),
        (USCIS_DASHES, "still controlled—this time", "still controlled--this time", "normalised"),
        (USCIS, "Jamiat–e Islami", "Jamiat-e Islami", "normalised"),
        # case
        (
            NOOR,
            "given the SHIFT in the geography",
            "Given the shift in the geography",
            "normalised",
        ),
        # lower() spells a word-final sigma "ς"; mid-word in the text it is "σ"
        ("ΟΔΟΣΑ ΚΑΙ", "οδοΣ", "ΟΔΟΣ", "normalised"),
        # "İ" lower-cases to two characters; offsets must still point into the original
        ("İzmir and Ankara – cities", "ankara - cities", "Ankara – cities", "normalised"),
    ],
)
def test_find_quote_forgives_what_a_typist_cannot_see(text, quote, passage, method):
    anchor = find_quote(text, quote)
    assert anchor.passage(text) == (passage or quote)
    assert (anchor.method, anchor.score) == (method, 100.0)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (USCIS, "Jamiat e Islami"),  # a space is not a dash
        (USCIS, "Masud"),  # a missing letter is not invisible
        (USCIS, "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party and leader"),
        (USCIS, ""),
        (USCIS, " \n "),
        ("", "Najibullah"),
        ("Najibullah", "President Najibullah"),
    ],
)
def test_find_quote_returns_none_when_absent(text, quote):
    assert find_quote(text, quote) is None


FIRST = USCIS.index("Najibullah's")
SECOND = USCIS.index("Najibullah's", FIRST + 1)


@pytest.mark.parametrize(
    ("kwargs", "start"),
    [
        ({}, FIRST),
        ({"prefix": "former head of "}, FIRST),
        ({"prefix": "instrumental in bringing down "}, SECOND),
        ({"suffix": " government in April"}, SECOND),
        ({"prefix": "in\nbringing down", "suffix": " GOVERNMENT"}, SECOND),  # compared normalised
        ({"hint": 0}, FIRST),
        ({"hint": len(USCIS)}, SECOND),
        ({"hint": SECOND - 3}, SECOND),
        ({"prefix": "former head of ", "hint": SECOND}, FIRST),  # context outranks the hint
    ],
)
def test_find_quote_picks_among_duplicates(kwargs, start):
    for quote in ("Najibullah's", "najibullah’s"):  # exact and normalised alike
        assert find_quote(USCIS, quote, **kwargs).start == start


EDITED_QUOTE = "instrumental in bringing down Najibullah's government"


def _edit(words):
    """USCIS with the quoted words rewritten, and the quote's old prefix and suffix."""
    old = find_quote(USCIS, EDITED_QUOTE)
    prefix, suffix = context_around(USCIS, old.start, old.end)
    return USCIS.replace("instrumental in bringing down", words), prefix, suffix


@pytest.mark.parametrize(
    ("words", "score"),
    [
        ("instrumental in toppling", 85.1),
        ("crucial in toppling", 72.9),
    ],
)
def test_find_quote_reanchors_between_context_after_an_edit(words, score):
    edited, prefix, suffix = _edit(words)
    anchor = find_quote(edited, EDITED_QUOTE, prefix=prefix, suffix=suffix)
    assert anchor.passage(edited) == f"{words} Najibullah's government"
    assert anchor.method == "context"
    assert anchor.score == pytest.approx(score, abs=0.1)


@pytest.mark.parametrize(
    ("words", "kwargs"),
    [
        ("key to the overthrow of", {}),  # 62: too little of the quote is left
        ("crucial in toppling", {"min_score": 100}),  # 73 < 100 - 20
        ("instrumental in toppling", {"prefix": ""}),  # it takes both sides
        ("instrumental in toppling", {"suffix": "  "}),
    ],
)
def test_find_quote_context_refuses_a_passage_that_no_longer_resembles(words, kwargs):
    edited, prefix, suffix = _edit(words)
    kwargs = {"prefix": prefix, "suffix": suffix, **kwargs}
    assert find_quote(edited, EDITED_QUOTE, **kwargs) is None


@pytest.mark.parametrize(
    ("quote", "passage"),
    [
        (
            "Ahmad Shah Masud, head of the Jamiat-e Islami Party",
            "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party",
        ),
        (
            "the Northern Alliance was instrumental in bringing down Najibullahs goverment",
            "The Northern Alliance was instrumental in bringing down Najibullah's government",
        ),
        (
            "“Given the shift in the geografy of war from the south to the north",
            "“Given the shift in the geography of war from the south to the north",
        ),
    ],
)
def test_find_quote_fuzzy_finds_a_passage_with_a_small_typo(quote, passage):
    text = USCIS + "\n\n" + NOOR
    assert find_quote(text, quote) is None
    anchor = find_quote(text, quote, fuzzy=True)
    assert anchor.passage(text) == passage
    assert anchor.method == "fuzzy"
    assert 90 <= anchor.score < 100


def test_find_quote_fuzzy_respects_min_score():
    quote = "Ahmad Shah Masud, head of the Jamiat-e Islami Party"
    assert find_quote(USCIS, quote, fuzzy=True, min_score=99) is None


def test_find_quote_fuzzy_accepts_a_quote_longer_than_the_text():
    text = "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party"
    anchor = find_quote(text, text + "!", fuzzy=True)
    assert (anchor.start, anchor.end, anchor.method) == (0, len(text), "fuzzy")


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        (
            USCIS,
            "Ahmad Shah Masud, the head of the Jamiat Islami party",
            "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party",
        ),
        (NOOR, "Noor said to the BBC", "Noor told the BBC"),
        (SALEH, "the rightful caretaker president", "“the legitimate caretaker president”"),
    ],
)
def test_closest_passage_names_the_most_similar_passage(text, quote, expected):
    closest = closest_passage(text, quote)
    assert expected in closest
    assert len(closest) < len(expected) + 20
    assert closest == closest.strip()


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (USCIS, "xyzzy plugh qwerty frobnicate"),
        (USCIS, ""),
        ("", "Najibullah"),
        ("  \n", "Najibullah"),
    ],
)
def test_closest_passage_is_empty_when_nothing_is_plausible(text, quote):
    assert closest_passage(text, quote) == ""


def test_closest_passage_width_widens_to_whole_words():
    closest = closest_passage(USCIS, "Mas'ud", width=60)
    assert "Mas'ud" in closest
    assert 50 <= len(closest) <= 100
    assert USCIS.index(closest) in (0, *(i + 1 for i, c in enumerate(USCIS) if c.isspace()))


@pytest.mark.parametrize(
    ("start", "end", "size", "expected"),
    [
        (2, 4, 2, ("ab", "ef")),
        (0, 2, 3, ("", "cde")),
        (4, 6, 32, ("abcd", "")),
    ],
)
def test_context_around(start, end, size, expected):
    assert context_around("abcdef", start, end, size) == expected


def test_anchor_passage():
    assert Anchor(3, 13, "exact").passage(USCIS) == "1992, the "


def test_find_quote_is_fast_on_a_large_text():
    text = (USCIS + "\n\n" + NOOR + "\n\n") * 1400 + SALEH  # about 1 MB
    started = time.perf_counter()
    assert find_quote(text, "ashraf ghani's flight to the").method == "normalised"
    assert find_quote(text, "Ashraf Ghani's fligt to the", fuzzy=True).method == "fuzzy"
    assert closest_passage(text, "Ashraf Ghani's fligth") != ""
    assert time.perf_counter() - started < 2  # about 0.1 s; this guards against quadratic blow-ups


# Whatever the text and the quote, one call does a bounded amount of work. Texts of about 1 MB;
# the times are CPU time of this process (other work on the machine does not count), each call
# on a text anchoring has not seen, so folding the text counts too.
REPETITIVE = "ab " * 333_333
ENGLISH = (USCIS + "\n\n" + NOOR + "\n\n") * 1400 + SALEH
LETTERS = "".join("abcdefghij "[(n * 7919) % 11] for n in range(1_000_000))
QUICK_CPU = 0.5  # seconds

BOUNDED = [
    pytest.param(REPETITIVE, "ab " * 666 + "x", id="repetitive-2000"),  # took 80 s
    pytest.param(REPETITIVE[:210_000], "ab " * 333 + "x", id="repetitive-200k-1000"),
    pytest.param(REPETITIVE, "ab ab ab abx ab ab", id="repetitive-short"),
    pytest.param(LETTERS, LETTERS[:2000][::-1], id="letters-2000"),
    pytest.param(ENGLISH, " ".join(sorted(ENGLISH[5000:7000].split())), id="english-shuffled"),
    pytest.param("a  " * 333_333, "a  a  a  b", id="double-spaces"),
    pytest.param("a--" * 333_333, "a-a-a-a-b", id="dashes"),
    pytest.param("’" * 1_000_000, "’’’ ’’’ ’’’ x", id="apostrophes"),
    pytest.param("İ a\n" * 250_000, "i a i a x", id="newlines-and-dotted-i"),
]


def cpu_seconds(call):
    anchoring._folded.cache_clear()
    started = time.process_time()
    result = call()
    return time.process_time() - started, result


@pytest.mark.parametrize(("text", "quote"), BOUNDED)
def test_anchoring_and_the_closest_passage_are_bounded_in_time(text, quote):
    middle = len(text) // 2
    context = {"prefix": text[100:132], "suffix": text[200:232], "hint": middle}
    calls = {
        "fuzzy": lambda: find_quote(text, quote, fuzzy=True),
        "context": lambda: find_quote(text, quote, fuzzy=True, **context),
        "closest": lambda: closest_passage(text, quote),
    }
    for name, call in calls.items():
        seconds, _ = cpu_seconds(call)
        assert seconds < QUICK_CPU, f"{name} took {seconds:.2f} s"


@pytest.mark.parametrize(("quote", "found"), [("zq", None), ("zqx", None), ("Mas'udd", "Mas'ud")])
def test_a_short_quote_in_a_large_text_is_found_fuzzily_or_not_at_all(quote, found):
    anchor = find_quote(ENGLISH, quote, fuzzy=True)
    assert (anchor and anchor.passage(ENGLISH)) == found
    assert closest_passage(ENGLISH, quote).startswith(found or "")


def test_a_quote_found_a_hundred_thousand_times_is_placed_by_its_hint():
    seconds, anchor = cpu_seconds(
        lambda: find_quote(REPETITIVE, "ab ab ab", prefix="ab ", suffix=" ab", hint=500_000)
    )
    assert seconds < QUICK_CPU
    assert anchor.method == "exact" and abs(anchor.start - 500_000) <= 3


def test_fuzzy_finds_a_long_passage_with_many_typos_in_a_large_text():
    passage = ENGLISH[5002:6002]
    typed = "".join("#" if n % 30 == 15 else char for n, char in enumerate(passage))
    seconds, anchor = cpu_seconds(lambda: find_quote(ENGLISH, typed, fuzzy=True))
    assert seconds < QUICK_CPU
    assert anchor.passage(ENGLISH) == passage.strip()
    assert anchor.method == "fuzzy" and anchor.score > 90
    assert ENGLISH[anchor.start : anchor.end] in closest_passage(ENGLISH, typed)


@pytest.mark.parametrize(
    "text",
    ["a  b--c \n\n d - e — “x” ’", "İzmir – ΟΔΟΣ  ", "--  --", " ", "x"],
)
def test_the_folded_text_maps_every_offset_back_to_the_original(text):
    fold = anchoring._folded(text)
    for offset in range(len(fold.text) + 1):
        back = fold.to_original(offset)
        assert fold.to_folded(back) == offset
