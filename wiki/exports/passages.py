"""The passages each exported row stands on, as the reader may see them, loaded a chunk at a
time: one query for a chunk's body citations, two for its claims with theirs.

The rule is the API's (wiki.api.passages): the team sees every passage; the public sees a public
source's passages whole, a protected source's only as withheld with its grade, an unpublished
source's not at all.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from sources.common.permissions import is_team
from wiki.api import visibility
from wiki.api.passages import citation_uses
from wiki.models import Claim

WITHHELD = "withheld"


def is_withheld(citation, user) -> bool:
    """A protected source's passage, for a reader outside the team."""
    return not is_team(user) and not citation.source.is_public


def as_text(citation, user) -> str:
    """One passage in a cell: `key, locator: “quote”`, or `withheld (B2)` for the public."""
    grade = citation.grade.label
    if is_withheld(citation, user):
        return f"{WITHHELD} ({grade})" if grade else WITHHELD
    where = ", ".join(part for part in (citation.source.key, citation.locator) if part)
    said = f": “{citation.quote}”" if citation.quote else ""
    return f"{where}{said}" + (f" [{grade}]" if grade else "")


def uses_by_object(model, rows, user) -> dict[int, list]:
    """The citation uses of these rows (pages or relations), by row id, in order."""
    content_type = ContentType.objects.get_for_model(model)
    found = defaultdict(list)
    ids = [row.pk for row in rows]
    for use in citation_uses(user).filter(content_type=content_type, object_id__in=ids):
        found[use.object_id].append(use)
    return found


def claims_by_object(model, rows, user) -> dict[int, list]:
    """The claims of these entries with their uses (claim.uses), by entry id."""
    content_type = ContentType.objects.get_for_model(model)
    claims = Claim.objects.filter(content_type=content_type, object_id__in=[r.pk for r in rows])
    found = defaultdict(list)
    for claim in claims.with_evidence(citation_uses(user)):
        found[claim.object_id].append(claim)
    return found


def relations_by_end(model, end: str, rows, user) -> dict[int, list]:
    """The relations of `model` whose `end` is one of these entries and whose every end the
    reader may see, each with its uses (relation.uses), by entry id: two queries."""
    uses = Prefetch("citation_uses", queryset=citation_uses(user), to_attr="uses")
    relations = visibility.relations(model, user).filter(**{f"{end}__in": [r.pk for r in rows]})
    found = defaultdict(list)
    for relation in relations.prefetch_related(uses).order_by("pk"):
        found[getattr(relation, f"{end}_id")].append(relation)
    return found
