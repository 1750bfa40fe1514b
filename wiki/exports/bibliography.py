"""A page's bibliography for Zotero: the sources its body, its facts and its relations cite, in
the formats of one source's citation export (sources.citations.export).

The public gets the public sources only. A protected source is left out whole, in every format
(no key, no title, not even a comment saying one is missing): its identity is what it protects.
The team gets every source the page cites.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from sources.citations.export import FORMATS, to_csl_json
from sources.common.permissions import is_team
from sources.models import CitationUse, Source
from wiki.api import visibility
from wiki.models import Claim, FactionRelation, Membership, Participation

# Which relation fields can hold an entry of each type.
RELATION_ENDS = {
    "actor": ((Membership, "actor"), (Participation, "actor")),
    "faction": (
        (Membership, "faction"),
        (FactionRelation, "faction"),
        (FactionRelation, "other"),
        (Participation, "faction"),
    ),
    "event": ((Participation, "event"),),
}


def _uses_of(entry, user) -> Q:
    """The citation uses that are the page's: its body, its claims, its relations."""
    of = ContentType.objects.get_for_model
    found = Q(content_type=of(type(entry)), object_id=entry.pk)
    found |= Q(content_type=of(Claim), object_id__in=Claim.objects.of(entry).values("pk"))
    for model, end in RELATION_ENDS[entry._meta.model_name]:
        relations = visibility.relations(model, user).filter(**{end: entry.pk})
        found |= Q(content_type=of(model), object_id__in=relations.values("pk"))
    return found


def page_sources(entry, user):
    """The sources a page cites that the reader may see named, by title: one query."""
    cited = CitationUse.objects.filter(_uses_of(entry, user)).values("citation__source")
    sources = Source.objects.filter(pk__in=cited).defer("text", "notes", "page_starts")
    if not is_team(user):
        sources = sources.filter(is_public=True)
    return sources.order_by("title", "key")


def render(sources, fmt: str) -> str:
    """The sources as one file in `fmt` (bib, ris or json)."""
    if fmt == "json":
        return json.dumps([to_csl_json(s) for s in sources], ensure_ascii=False, indent=2) + "\n"
    separator = "\n" if fmt == "bib" else ""
    return separator.join(FORMATS[fmt].render(source) for source in sources)


def content_type(fmt: str) -> str:
    return FORMATS[fmt].content_type
