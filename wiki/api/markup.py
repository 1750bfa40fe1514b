"""A page's body markup as the public may read it: what the page itself shows, nothing more.

The team reads the markup as written. The public reads it with each citation of a source it may
not see taken out (a protected source's key and quote are its identity) and each link to a page
it may not see turned into the plain words the page shows in its place.
"""

import re

from sources.citations.syntax import CitationSyntaxError, find_groups, format_ref
from wiki.markup.rendering import resolve_links

# As the markup's own plugin reads a [[Target]] or [[Target|label]].
WIKILINK = re.compile(r"\[\[([^\[\]\n]{1,500})\]\]")
# What stands where every citation of a group was withheld from the reader.
WITHHELD = "[withheld]"
# A group that cannot be read (saved before a rule): taken out whole.
ANY_GROUP = re.compile(r"\[\s*@[^\]]*\]")


def link_targets(body: str) -> set[str]:
    """The targets a body links to, as written."""
    return {match[1].split("|", 1)[0].strip() for match in WIKILINK.finditer(body)}


def public_links(bodies) -> dict[str, bool]:
    """For every target these bodies link to: whether the public may follow it (one query)."""
    targets = sorted(set().union(*(link_targets(body) for body in bodies)))
    if not targets:
        return {}
    return {target: link.exists for target, link in resolve_links(targets, team=False).items()}


def public_markup(body: str, *, keys: set[str], links: dict[str, bool]) -> str:
    """The body with citations of sources outside `keys` and links to hidden pages redacted."""
    return _redact_links(_redact_citations(body, keys), links)


def _redact_citations(body: str, keys: set[str]) -> str:
    try:
        groups = find_groups(body)
    except CitationSyntaxError:
        return ANY_GROUP.sub(WITHHELD, body)
    pieces, last = [], 0
    for start, end, refs in groups:
        kept = [format_ref(ref) for ref in refs if ref.key in keys]
        pieces += [body[last:start], _group(kept)]
        last = end
    return "".join(pieces) + body[last:]


def _group(refs: list[str]) -> str:
    if not refs:
        return WITHHELD
    return "[" + "; ".join(ref[1:-1] for ref in refs) + "]"


def _redact_links(body: str, links: dict[str, bool]) -> str:
    def plain(match) -> str:
        target, _, label = match[1].partition("|")
        if links.get(target.strip()):
            return match[0]
        return (label or target).strip()

    return WIKILINK.sub(plain, body)
