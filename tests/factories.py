"""Test data builders. They write rows directly; tests that need citations, history rows or
derived tables save through the services (page_save, relation_save) as real edits do."""

import factory
from django.contrib.auth.models import Group, User

from sources.models import Citation, Source
from wiki.claims.saving import facts_derive
from wiki.models import Actor, Claim, Event, Faction, FactionRelation, Membership, Participation

SAMPLE_TEXT = (
    "In 1992, the Northern Alliance was established in opposition of the communist government "
    "led by President Najibullah. The group consisted of General Abdul Rashid Dostum; "
    "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party; and Hezb-e Wahdat, a pro-Shi’a party."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


def editor(username="editor"):
    """A member of the Editors group."""
    return UserFactory(username=username, groups=["Editors"])


def curator(username="curator"):
    """A member of the Curators group, with admin access."""
    return UserFactory(username=username, is_staff=True, groups=["Curators"])


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    kind = Source.Kind.REPORT
    publisher = "Resource Information Center"
    published = "1999-12-14"
    text = SAMPLE_TEXT
    is_public = True


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    quote = "the Northern Alliance was established"
    start = factory.LazyAttribute(lambda c: c.source.text.find(c.quote))
    end = factory.LazyAttribute(lambda c: c.start + len(c.quote))


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    is_public = True
    summary = "A one-line summary."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A fact given to the factory (born="1953") is stored as a page has it: an unsourced
        claim, from which the entry's own field is derived (as a migrated page's facts are)."""
        entry = super()._create(model_class, *args, **kwargs)
        claims = [
            Claim(subject=entry, field=name, value=value)
            for name in model_class.claim_fields
            if (value := str(kwargs.get(name) or "").strip())
        ]
        if claims:
            Claim.objects.bulk_create(claims)
            facts_derive(entry, claims)
            derived = ["fact_count", "fact_sourced_count", "coverage", "claim_list"]
            model_class.objects.filter(pk=entry.pk).update(
                **{name: getattr(entry, name) for name in derived}
            )
        return entry

    @factory.post_generation
    def tags(self, create, names, **kwargs):
        if create and names:
            self.tags.add(*names)


class ActorFactory(EntryFactory):
    class Meta:
        model = Actor

    title = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")


class FactionFactory(EntryFactory):
    class Meta:
        model = Faction

    title = factory.Sequence(lambda n: f"Faction {n}")
    slug = factory.Sequence(lambda n: f"faction-{n}")


class EventFactory(EntryFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.BATTLE


def _evidence(relation):
    source = SourceFactory(key="sample-source")
    return f'[@{source.key} "the Northern Alliance was established"]'


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    actor = factory.SubFactory(ActorFactory)
    faction = factory.SubFactory(FactionFactory)
    role = Membership.Role.MEMBER
    evidence = factory.LazyAttribute(_evidence)


class FactionRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactionRelation

    faction = factory.SubFactory(FactionFactory)
    other = factory.SubFactory(FactionFactory)
    kind = FactionRelation.Kind.ALLIANCE
    evidence = factory.LazyAttribute(_evidence)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Participation.Role.PARTY
    evidence = factory.LazyAttribute(_evidence)
