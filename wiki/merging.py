"""Three-way merges of concurrent edits: text by lines (merge3), other fields one by one."""

from dataclasses import dataclass

import merge3


@dataclass(frozen=True)
class TextMerge:
    """The merged text, or None where both edits changed the same lines."""

    text: str | None
    conflicts: int


def merge_text(base: str, theirs: str, ours: str) -> TextMerge:
    """Merge two edits of one base text; edits of different paragraphs merge cleanly."""
    if theirs == base or ours == theirs:
        return TextMerge(ours, 0)
    if ours == base:
        return TextMerge(theirs, 0)
    merger = merge3.Merge3(
        base.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
        ours.splitlines(keepends=True),
    )
    groups = list(merger.merge_groups())
    conflicts = sum(1 for group in groups if group[0] == "conflict")
    if conflicts:
        return TextMerge(None, conflicts)
    return TextMerge("".join(line for _, lines in groups for line in lines), 0)


def merge_fields(base: dict, theirs: dict, ours: dict) -> tuple[dict, list[str]]:
    """Per field: keep the side that changed it; both changed it differently is a conflict."""
    merged, conflicts = {}, []
    for name, our_value in ours.items():
        their_value, base_value = theirs[name], base[name]
        if our_value == base_value:
            merged[name] = their_value
        elif their_value in (base_value, our_value):
            merged[name] = our_value
        else:
            merged[name] = our_value
            conflicts.append(name)
    return merged, conflicts
