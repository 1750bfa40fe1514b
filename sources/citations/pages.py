"""The page a passage stands on, from where each page of its source begins: "p. 2", "pp. 2–3".

Pure: offsets in, a locator out. A PDF's reader records where each page begins in the stored
text (Source.page_starts); a citation of a passage gets its page as locator from them unless the
editor typed one. A correction of the text moves the page starts with it (shift_page_starts).
"""

from bisect import bisect_right

# The longest a correction's diff may take before it compares coarser (diff-match-patch's timeout).
DIFF_SECONDS = 0.5


def page_locator(page_starts, start: int | None, end: int | None) -> str:
    """The locator of the passage text[start:end]: "p. N", or "pp. N–M" across a page break;
    "" without page starts or a passage (a whole-document citation)."""
    if not page_starts or start is None or end is None:
        return ""
    first = _page(page_starts, start)
    last = _page(page_starts, max(start, end - 1))
    return f"p. {first}" if first == last else f"pp. {first}–{last}"


def _page(page_starts, offset: int) -> int:
    # The page whose start is the last at or before the offset; text before the first start
    # (there is none in what a reader records) counts as page 1.
    return max(bisect_right(page_starts, offset), 1)


def shift_page_starts(page_starts, old_text: str, new_text: str) -> list[int]:
    """The page starts of old_text moved to where they fall in new_text after a correction.

    They are shifted with the correction, not cleared: a start in unchanged text moves with it,
    a start inside a deleted stretch goes to where the stretch stood. The diff is diff-match-patch's
    character diff, bounded in time: past DIFF_SECONDS it compares coarser, and the starts inside
    a stretch it could not align go to that stretch's start. They stay in order, within the text.
    """
    if not page_starts or old_text == new_text:
        return list(page_starts)
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = DIFF_SECONDS
    diffs = differ.diff_main(old_text, new_text, False)
    shifted, previous = [], 0
    for start in page_starts:
        # The text's beginning stays the first page's: words added before it are on it.
        moved = differ.diff_xIndex(diffs, start) if start else 0
        previous = max(previous, min(moved, len(new_text)))
        shifted.append(previous)
    return shifted
