"""Three-way merges of concurrent edits: text by lines (merge3), other fields one by one.

The merge lives with the sources app's history (sources.common.history.merging), so that
sources, pages and relations merge alike; the wiki reads it from here.
"""

from sources.common.history.merging import (
    ConflictingEdit,
    TextMerge,
    carried_fields,
    editable_fields,
    latest_history_id,
    merge_edit,
    merge_fields,
    merge_text,
    take_uncarried,
)

__all__ = [
    "ConflictingEdit",
    "TextMerge",
    "carried_fields",
    "editable_fields",
    "latest_history_id",
    "merge_edit",
    "merge_fields",
    "merge_text",
    "take_uncarried",
]
