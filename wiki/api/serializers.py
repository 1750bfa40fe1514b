"""What the API says of each thing. Passages come ready from wiki.api.passages (as the reader may
see them); the serializers here name the fields and give the OpenAPI schema their shapes."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from sources.citations.grading import CREDIBILITY, RELIABILITY
from sources.models import Citation, Source
from wiki.models import Event, Rank


@extend_schema_field({"type": "boolean", "enum": [True]})
class WithheldField(serializers.BooleanField):
    """true: a protected source's passage, of which only the grade is given."""


class QuoteSelectorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextQuoteSelector"])
    exact = serializers.CharField()
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)


class PositionSelectorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextPositionSelector"])
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)


SELECTOR = PolymorphicProxySerializer(
    component_name="Selector",
    serializers={
        "TextQuoteSelector": QuoteSelectorSerializer,
        "TextPositionSelector": PositionSelectorSerializer,
    },
    resource_type_field_name="type",
)


class CitedSourceSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True, help_text="The document on the web, if any.")
    reliability = serializers.ChoiceField(choices=list(RELIABILITY), allow_null=True)
    page = serializers.URLField(help_text="The source's page on this site.")


class PassageSerializer(serializers.Serializer):
    """A cited passage: where it stands in its source (W3C Web Annotation selectors) and how
    it is graded ("B2": the source's reliability, the passage's credibility)."""

    withheld = serializers.BooleanField(help_text="false: the passage is given whole.")
    grade = serializers.CharField(allow_null=True)
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Citation.Status.choices)
    locator = serializers.CharField(allow_blank=True)
    credibility = serializers.ChoiceField(choices=list(CREDIBILITY), allow_null=True)
    selector = serializers.ListField(child=SELECTOR)
    source = CitedSourceSerializer()
    url = serializers.URLField(help_text="The passage highlighted in the source viewer.")


class WithheldSerializer(serializers.Serializer):
    """A passage of a protected source, as the public sees it: that it is withheld, its grade."""

    withheld = WithheldField()
    grade = serializers.CharField(allow_null=True)


CITED = PolymorphicProxySerializer(
    component_name="CitedPassage",
    serializers=[PassageSerializer, WithheldSerializer],
    resource_type_field_name=None,
    many=True,
)


@extend_schema_field(CITED)
class CitationsField(serializers.Field):
    """The passages of a statement, prepared for the reader (wiki.api.passages)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagsField(serializers.Field):
    """The names of a thing's tags (prefetched)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [tag.name for tag in value.all()]


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    field = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    rank = serializers.ChoiceField(choices=Rank.choices)
    rank_reason = serializers.CharField(allow_blank=True)
    citations = CitationsField(source="api_citations")


class EntryLinkSerializer(serializers.Serializer):
    type = serializers.CharField(source="_meta.model_name")
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, entry) -> str:
        return _absolute(self, entry.get_absolute_url())


class ClaimWithSubjectSerializer(ClaimSerializer):
    subject = EntryLinkSerializer()


class CoverageSerializer(serializers.Serializer):
    sourced = serializers.IntegerField()
    statements = serializers.IntegerField(source="total")
    percent = serializers.IntegerField()


class EntrySerializer(serializers.Serializer):
    """An actor, faction or event: its page's text, facts and passages."""

    type = serializers.CharField(source="_meta.model_name")
    slug = serializers.CharField()
    title = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    summary = serializers.CharField(allow_blank=True)
    body = serializers.CharField(
        source="api_body",
        allow_blank=True,
        help_text="The page's markup; for the public, citations and links it may not follow "
        "are taken out as the page shows them.",
    )
    citations = CitationsField(source="api_citations", help_text="The body's passages, in order.")
    facts = ClaimSerializer(many=True, source="api_claims")
    coverage = CoverageSerializer(source="statement_coverage")
    tags = TagsField()
    published = serializers.BooleanField(source="is_public")
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, entry) -> str:
        return _absolute(self, entry.get_absolute_url())


class SentenceSerializer(serializers.Serializer):
    """One statement of a page's body, as the page shows it, and the passages that back it
    (none: the page marks it as needing a citation)."""

    text = serializers.CharField()
    citations = CitationsField()


def with_sentences(serializer):
    """The serializer of one entry: what a list gives, and its body sentence by sentence."""
    sentences = SentenceSerializer(
        many=True,
        source="api_sentences",
        help_text="The body's statements in order, each with its own passages.",
    )
    name = serializer.__name__.replace("Serializer", "DetailSerializer")
    return type(name, (serializer,), {"sentences": sentences})


def _dates(*names):
    """The EDTF fields as written, and their derived bounds (ISO dates) for sorting."""
    fields = {}
    for name in names:
        fields[name] = serializers.CharField(allow_blank=True)
        fields[f"{name}_earliest"] = serializers.DateField(allow_null=True)
        fields[f"{name}_latest"] = serializers.DateField(allow_null=True)
    return fields


ActorSerializer = type("ActorSerializer", (EntrySerializer,), _dates("born", "died"))
FactionSerializer = type("FactionSerializer", (EntrySerializer,), _dates("founded", "dissolved"))
EventSerializer = type(
    "EventSerializer",
    (EntrySerializer,),
    {
        **_dates("start", "end"),
        "kind": serializers.ChoiceField(choices=Event.Kind.choices),
        "place": serializers.CharField(allow_blank=True),
        "fatalities": serializers.CharField(allow_blank=True),
        "latitude": serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True),
        "longitude": serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True),
    },
)
ActorDetailSerializer = with_sentences(ActorSerializer)
FactionDetailSerializer = with_sentences(FactionSerializer)
EventDetailSerializer = with_sentences(EventSerializer)


class RelationSerializer(serializers.Serializer):
    """A cited statement that links entries: who, how, when, and the passages that say so."""

    id = serializers.IntegerField()
    type = serializers.CharField(source="_meta.model_name")
    start = serializers.CharField(allow_blank=True)
    start_earliest = serializers.DateField(allow_null=True)
    end = serializers.CharField(allow_blank=True)
    end_latest = serializers.DateField(allow_null=True)
    rank = serializers.ChoiceField(choices=Rank.choices)
    rank_reason = serializers.CharField(allow_blank=True)
    citations = CitationsField(source="api_citations")
    updated_at = serializers.DateTimeField()


class MembershipSerializer(RelationSerializer):
    actor = EntryLinkSerializer()
    faction = EntryLinkSerializer()
    role = serializers.CharField()


class FactionRelationSerializer(RelationSerializer):
    faction = EntryLinkSerializer()
    other = EntryLinkSerializer()
    kind = serializers.CharField()


class ParticipationSerializer(RelationSerializer):
    event = EntryLinkSerializer()
    actor = EntryLinkSerializer(allow_null=True)
    faction = EntryLinkSerializer(allow_null=True)
    role = serializers.CharField()


class SourceSerializer(serializers.Serializer):
    """A document that statements cite: its metadata and grade (its text at its own page)."""

    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    authors = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    published = serializers.CharField(allow_blank=True)
    published_earliest = serializers.DateField(allow_null=True)
    published_latest = serializers.DateField(allow_null=True)
    url = serializers.CharField(allow_blank=True)
    document_symbol = serializers.CharField(allow_blank=True)
    accessed = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    reliability = serializers.ChoiceField(choices=list(RELIABILITY), allow_blank=True)
    reliability_reason = serializers.CharField(allow_blank=True)
    tags = TagsField()
    published_on_site = serializers.BooleanField(source="is_public")
    protected = serializers.BooleanField(source="is_protected")
    updated_at = serializers.DateTimeField()
    page = serializers.SerializerMethodField()

    def get_page(self, source) -> str:
        return _absolute(self, source.get_absolute_url())


class SourceTextSerializer(SourceSerializer):
    text = serializers.CharField(allow_blank=True, help_text="What the selectors point into.")


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
