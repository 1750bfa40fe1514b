"""The API's views: read-only, paginated by cursor, conditional on an ETag, throttled for the
public. Each list loads its page, then everything its rows show in a fixed number of queries
(prepare), so that no list costs a query per row."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from sources.common.permissions import is_team
from wiki.api import filters, serializers, visibility
from wiki.api.markup import public_links, public_markup
from wiki.api.passages import citation_uses, passage, shown_sentences, shown_uses
from wiki.models import Actor, Claim, Event, Faction


class CursorPage(CursorPagination):
    """Pages that stay put while the wiki changes under them: follow `next` and `previous`."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PublicThrottle(AnonRateThrottle):
    """Anonymous clients: REST_FRAMEWORK's "anon" rate, counted in the site's cache."""


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail; prepare() loads what the rows show, for this reader."""

    pagination_class = CursorPage
    filter_backends = [DjangoFilterBackend]
    throttle_classes = [PublicThrottle]

    def prepare(self, rows: list) -> None:
        """Load what the serializer shows of these rows (nothing, unless a view says)."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.prepare(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        thing = self.get_object()
        self.prepare([thing])
        return Response(self.get_serializer(thing).data)

    def finalize_response(self, request, response, *args, **kwargs):
        """An ETag over the body, and 304 to a client that holds it already."""
        response = super().finalize_response(request, response, *args, **kwargs)
        # The team and the public get different bodies at one URL.
        patch_vary_headers(response, ("Cookie", "Authorization"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)


# ---------------------------------------------------------------------------------------------
# Entries


class EntryViewSet(ReadOnlyViewSet):
    """Published actors, factions or events (the team: all), by slug."""

    model = Actor
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return visibility.entries(self.model, self.request.user).prefetch_related("tags")

    def prepare(self, rows):
        user, request = self.request.user, self.request
        content_type = ContentType.objects.get_for_model(self.model)
        ids = [entry.pk for entry in rows]
        in_rows = {"content_type": content_type, "object_id__in": ids}
        body_uses = defaultdict(list)
        for use in citation_uses(user).filter(**in_rows):
            body_uses[use.object_id].append(use)
        claims = defaultdict(list)
        for claim in Claim.objects.filter(**in_rows).with_evidence(citation_uses(user)):
            claim.api_citations = shown_uses(claim.uses, user, request)
            claims[claim.object_id].append(claim)
        team = is_team(user)
        links = {} if team or not rows else public_links(entry.body for entry in rows)
        for entry in rows:
            uses = body_uses[entry.pk]
            entry.api_citations = shown_uses(uses, user, request)
            entry.api_claims = claims[entry.pk]
            entry.api_body = entry.body if team else _public_body(entry.body, uses, links)
            if self.action == "retrieve":  # a list leaves the parse out, to stay fast
                entry.api_sentences = shown_sentences(entry.body, uses, user, request)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class


def _public_body(body, uses, links) -> str:
    keys = {use.citation.source.key for use in uses if use.citation.source.is_public}
    return public_markup(body, keys=keys, links=links)


class ActorViewSet(EntryViewSet):
    model = Actor
    serializer_class = serializers.ActorSerializer
    detail_serializer_class = serializers.ActorDetailSerializer
    filterset_class = filters.ActorFilter


class FactionViewSet(EntryViewSet):
    model = Faction
    serializer_class = serializers.FactionSerializer
    detail_serializer_class = serializers.FactionDetailSerializer
    filterset_class = filters.FactionFilter


class EventViewSet(EntryViewSet):
    model = Event
    serializer_class = serializers.EventSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = filters.EventFilter


# ---------------------------------------------------------------------------------------------
# Claims and relations


class ClaimViewSet(ReadOnlyViewSet):
    """The facts of published entries (the team: all), each value with its passages."""

    serializer_class = serializers.ClaimWithSubjectSerializer
    filterset_class = filters.ClaimFilter
    # What the schema reads the model from: get_queryset asks the database for content types,
    # which `manage.py check` must not need.
    queryset = Claim.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        user = self.request.user
        claims = visibility.claims(user).with_evidence(citation_uses(user))
        return claims.prefetch_related("subject")

    def prepare(self, rows):
        for claim in rows:
            claim.api_citations = shown_uses(claim.uses, self.request.user, self.request)


class RelationViewSet(ReadOnlyViewSet):
    """Relations of one kind whose ends are all published (the team: all)."""

    model = None

    def get_queryset(self):
        user = self.request.user
        uses = Prefetch("citation_uses", queryset=citation_uses(user), to_attr="uses")
        return visibility.relations(self.model, user).prefetch_related(uses)

    def prepare(self, rows):
        for relation in rows:
            relation.api_citations = shown_uses(relation.uses, self.request.user, self.request)


def relation_viewset(path: str, serializer):
    """The view set of one kind of relation."""
    model = visibility.RELATIONS[path]
    attrs = {
        "model": model,
        "serializer_class": serializer,
        "filterset_class": filters.relation_filter(model),
        "__doc__": f"{model._meta.verbose_name_plural.capitalize()} whose ends the reader may "
        "see, each with its passages.",
    }
    return type(f"{model.__name__}ViewSet", (RelationViewSet,), attrs)


MembershipViewSet = relation_viewset("memberships", serializers.MembershipSerializer)
FactionRelationViewSet = relation_viewset(
    "faction-relations", serializers.FactionRelationSerializer
)
ParticipationViewSet = relation_viewset("participations", serializers.ParticipationSerializer)


# ---------------------------------------------------------------------------------------------
# Sources and passages


class SourceViewSet(ReadOnlyViewSet):
    """Public sources (the team: all, protected ones too), by key; the text on a source's own."""

    lookup_field = "key"
    lookup_value_regex = "[a-z0-9][a-z0-9._-]*"
    filterset_class = filters.SourceFilter

    def get_queryset(self):
        sources = visibility.sources(self.request.user).prefetch_related("tags")
        return sources.defer("text", "notes") if self.action == "list" else sources.defer("notes")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SourceTextSerializer
        return serializers.SourceSerializer


class CitationSerializer(serializers.PassageSerializer):
    def to_representation(self, instance):
        return passage(instance, self.context.get("request"))


class CitationViewSet(ReadOnlyViewSet):
    """Passages of the sources the reader may see, by id, with their selectors and grades."""

    serializer_class = CitationSerializer

    def get_queryset(self):
        return visibility.citations(self.request.user)
