"""The wiki as JSON-LD (/export/wiki.jsonld): schema.org Person, Organization and Event, each
statement with the passages it stands on.

Each entry carries its body's passages as `citation`, each fact as a schema.org Claim with its
own `citation`, and the relations it states as schema.org Roles with theirs (an actor's
memberships under memberOf, an event's participants under contributor, a faction's relations
to others under attest:relatedTo). A passage is a schema.org Quotation: the quoted words
(`text`), the document it is part of (a CreativeWork with its name, key and address) and where
it stands in the document's text as W3C Web Annotation selectors (`selector`, oa:hasSelector).
For the public, a protected source's passage is only
{"@type": "Quotation", "name": "Withheld source", "grade": "B2"}.
The graph is written piece by piece, a chunk of entries at a time.
"""

import json
from collections.abc import Iterator

from django.urls import reverse

from wiki.api import visibility
from wiki.api.passages import selectors
from wiki.exports.passages import (
    claims_by_object,
    is_withheld,
    relations_by_end,
    uses_by_object,
)
from wiki.exports.streaming import in_chunks
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation

CONTEXT = {
    "@vocab": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "selector": {"@id": "oa:hasSelector", "@container": "@list"},
    "grade": "attest:grade",
    "locator": "attest:locator",
}
# The relations each entry states, as schema.org Roles under a property of the entry: a
# membership from the actor (memberOf), a faction relation from the first faction, a
# participation from the event (contributor); (relation model, the entry's end, property).
RELATIONS = {
    Actor: (Membership, "actor", "memberOf"),
    Faction: (FactionRelation, "faction", "attest:relatedTo"),
    Event: (Participation, "event", "contributor"),
}
SCHEMA_TYPES = {Actor: "Person", Faction: "Organization", Event: "Event"}
# The entry's own fields, as schema.org names them.
DATES = {
    Actor: (("born", "birthDate"), ("died", "deathDate")),
    Faction: (("founded", "foundingDate"), ("dissolved", "dissolutionDate")),
    Event: (("start", "startDate"), ("end", "endDate")),
}


def quotation(citation, user, absolute) -> dict:
    """One passage as a schema.org Quotation, or withheld for a reader outside the team."""
    grade = citation.grade.label or None
    if is_withheld(citation, user):
        return {"@type": "Quotation", "name": "Withheld source", "grade": grade}
    source = citation.source
    document = {
        "@type": "CreativeWork",
        "@id": absolute(source.get_absolute_url()),
        "identifier": source.key,
        "name": source.title,
    }
    if source.url:
        document["sameAs"] = source.url
    found = {
        "@type": "Quotation",
        "@id": absolute(citation.get_absolute_url()),
        "isPartOf": document,
        "grade": grade,
    }
    if citation.quote:
        found |= {"text": citation.quote, "selector": selectors(citation)}
    if citation.locator:
        found["locator"] = citation.locator
    return found


def _quotations(uses, user, absolute) -> list[dict]:
    return [quotation(use.citation, user, absolute) for use in uses]


def role_node(relation, prop: str, user, absolute) -> dict:
    """One relation as a schema.org Role: what, when, with whom, and its passages."""
    if isinstance(relation, Participation):
        other, what = relation.participant, relation.role
    elif isinstance(relation, Membership):
        other, what = relation.faction, relation.role
    else:
        other, what = relation.other, relation.kind
    node = {
        "@type": "Role",
        "roleName": what,
        prop: {"@id": absolute(other.get_absolute_url()), "name": other.title},
        "citation": _quotations(relation.uses, user, absolute),
    }
    if relation.start:
        node["startDate"] = relation.start
    if relation.end:
        node["endDate"] = relation.end
    return node


def entry_node(entry, uses, claims, user, absolute, relations=()) -> dict:
    """One entry as a schema.org node: its names, dates, passages and cited facts."""
    model = type(entry)
    node = {
        "@type": SCHEMA_TYPES[model],
        "@id": absolute(entry.get_absolute_url()),
        "url": absolute(entry.get_absolute_url()),
        "identifier": entry.slug,
        "name": entry.title,
        "alternateName": entry.alias_list,
        "description": entry.summary,
        "keywords": [tag.name for tag in entry.tags.all()],
        "dateModified": entry.updated_at.isoformat(),
        "citation": _quotations(uses, user, absolute),
        "subjectOf": [
            {
                "@type": "Claim",
                "name": claim.label,
                "text": claim.value,
                "about": {"@id": absolute(entry.get_absolute_url())},
                "attest:rank": claim.rank,
                "citation": _quotations(claim.uses, user, absolute),
            }
            for claim in claims
        ],
    }
    for field, name in DATES[model]:
        if value := getattr(entry, field):
            node[name] = value
    if model is Event and entry.place:
        node["location"] = {"@type": "Place", "name": entry.place}
    prop = RELATIONS[model][2]
    node[prop] = [role_node(relation, prop, user, absolute) for relation in relations]
    return node


def _nodes(model, user, absolute) -> Iterator[dict]:
    loaded = {}

    relation_model, end, _prop = RELATIONS[model]

    def load(chunk):
        loaded["uses"] = uses_by_object(model, chunk, user)
        loaded["claims"] = claims_by_object(model, chunk, user)
        loaded["relations"] = relations_by_end(relation_model, end, chunk, user)

    entries = visibility.entries(model, user).defer("body").prefetch_related("tags")
    for entry in in_chunks(entries.order_by("pk"), load):
        uses, claims = loaded["uses"][entry.pk], loaded["claims"][entry.pk]
        relations = loaded["relations"][entry.pk]
        yield entry_node(entry, uses, claims, user, absolute, relations)


def graph_pieces(user, absolute) -> Iterator[str]:
    """The JSON-LD document in pieces: its context, then each node as it is read."""
    # Attest's own terms (grade, locator, rank) are described on the exports page.
    context = {**CONTEXT, "attest": absolute(reverse("wiki:exports")) + "#"}
    yield '{"@context": ' + json.dumps(context) + ', "@graph": [\n'
    first = True
    for model in (Actor, Faction, Event):
        for node in _nodes(model, user, absolute):
            yield ("" if first else ",\n") + json.dumps(node, ensure_ascii=False)
            first = False
    yield "\n]}\n"
