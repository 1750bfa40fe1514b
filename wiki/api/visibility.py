"""What each reader may see through the API, from the site's one permission layer: the team
everything, the public what the pages show it (published entries, relations whose ends are all
published, the claims of published entries, public sources and their passages)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from sources.common.permissions import is_team
from sources.models import Citation, Source
from wiki.models import ENTRY_MODELS, Claim, FactionRelation, Membership, Participation


def entries(model, user):
    """Actors, factions or events the reader may see."""
    return model.objects.visible_to(user)


def sources(user):
    """Sources the reader may see: a protected source is never public, so never listed for it."""
    return Source.objects.visible_to(user)


def citations(user):
    """Passages of sources the reader may see. An orphaned passage is no longer in its source's
    text, so only the pages that cite it show it (as the public sees those pages)."""
    found = Citation.objects.select_related("source").defer("source__text", "source__notes")
    if is_team(user):
        return found
    return found.filter(source__is_public=True).exclude(status=Citation.Status.ORPHANED)


def claims(user):
    """The claims of entries the reader may see."""
    found = Claim.objects.all()
    if is_team(user):
        return found
    published = Q(pk__in=[])
    for model in ENTRY_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        ids = model.objects.published().values("pk")
        published |= Q(content_type=content_type, object_id__in=ids)
    return found.filter(published)


def _end_published(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__is_public": True})


# The relation models of /api/relations/<type>/, and what makes each public: all its ends.
RELATIONS = {
    "memberships": Membership,
    "faction-relations": FactionRelation,
    "participations": Participation,
}


def relations(model, user):
    """Relations of one kind the reader may see, with their ends loaded."""
    found = model.objects.select_related(*model.end_fields)
    if is_team(user):
        return found
    for end in model.end_fields:
        found = found.filter(_end_published(end))
    return found
