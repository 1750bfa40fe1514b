"""The anchoring seam at its stable import path: the code lives in `sources.citations.anchoring`."""

from sources.citations.anchoring import (  # noqa: F401
    CLOSEST_FLOOR,
    CONTEXT_SLACK,
    Anchor,
    closest_passage,
    context_around,
    find_quote,
)
