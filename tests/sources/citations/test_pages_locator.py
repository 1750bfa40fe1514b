"""The page a passage stands on, and page starts moved with a correction (tables)."""

import pytest

from sources.citations.pages import page_locator, shift_page_starts

PAGES = (0, 100, 250)


@pytest.mark.parametrize(
    ("page_starts", "start", "end", "locator"),
    [
        (PAGES, 0, 10, "p. 1"),
        (PAGES, 90, 100, "p. 1"),  # ends just before page 2 begins
        (PAGES, 100, 120, "p. 2"),
        (PAGES, 95, 105, "pp. 1–2"),
        (PAGES, 10, 300, "pp. 1–3"),
        (PAGES, 260, 270, "p. 3"),
        ((), 10, 20, ""),  # no pages: no locator
        (PAGES, None, None, ""),  # the whole document
        ((5, 50), 0, 3, "p. 1"),  # before the first page start
    ],
)
def test_page_locator(page_starts, start, end, locator):
    assert page_locator(page_starts, start, end) == locator


OLD = "aaaa\nbbbb\ncccc"  # pages at 0, 5, 10


@pytest.mark.parametrize(
    ("new", "starts"),
    [
        (OLD, [0, 5, 10]),
        # Inserted just where a page begins: the page still begins at its old first words.
        ("aaaa\nXXbbbb\ncccc", [0, 7, 12]),
        ("aaaa\ndddd\ncccc", [0, 5, 10]),  # its first words replaced: it begins at the new ones
        ("aXaaa\nbbbb\ncccc", [0, 6, 11]),  # inserted before: later pages move
        ("aaaa\nbbbb\ncccc and more", [0, 5, 10]),  # appended: nothing moves
        ("aaaa\ncccc", [0, 5, 5]),  # page 2 deleted: it begins where page 3 does
        ("cccc", [0, 0, 0]),
        ("Preface.\naaaa\nbbbb\ncccc", [0, 14, 19]),  # added before the first: on the first
    ],
)
def test_shift_page_starts(new, starts):
    assert shift_page_starts([0, 5, 10], OLD, new) == starts
