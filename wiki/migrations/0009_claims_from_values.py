"""Turn each page's bare facts (born, founded, place…) into claims without evidence.

Until now the facts beside a page's body had no source. Each becomes a claim of the normal rank
with no evidence: the page then shows it as unsourced, honestly, and counts it in its coverage
until someone cites the passage that states it. Each claim gets the first revision of its
history; the pages get no revision (their facts read as before), only their derived counts.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 500
FIELDS = {
    "Actor": ("born", "died"),
    "Faction": ("founded", "dissolved"),
    "Event": ("start", "end", "place", "fatalities"),
}
LABELS = {
    "born": "Born",
    "died": "Died",
    "founded": "Founded",
    "dissolved": "Dissolved",
    "start": "Start",
    "end": "End",
    "place": "Place",
    "fatalities": "Fatalities",
}
REASON = "A fact from before facts were cited"


def claims_from_values(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Claim = apps.get_model("wiki", "Claim")
    HistoricalClaim = apps.get_model("wiki", "HistoricalClaim")
    now = timezone.now()
    for name, fields in FIELDS.items():
        model = apps.get_model("wiki", name)
        content_type, _ = ContentType.objects.get_or_create(app_label="wiki", model=name.lower())
        changed = []
        for page in model.objects.only("pk", "sentence_count", "sourced_count", *fields).iterator():
            claims = [
                Claim(
                    content_type=content_type,
                    object_id=page.pk,
                    field=field,
                    value=value.strip()[:200],
                    created_at=now,
                    updated_at=now,
                )
                for field in fields
                if (value := getattr(page, field) or "").strip()
            ]
            if not claims:
                continue
            Claim.objects.bulk_create(claims)
            page.fact_count, page.fact_sourced_count = len(claims), 0
            page.claim_list = "\n".join(
                f"{LABELS[claim.field]}: {claim.value} [no source]" for claim in claims
            )
            total = page.sentence_count + page.fact_count
            page.coverage = page.sourced_count / total if total else 1.0
            changed.append(page)
        counts = ["fact_count", "fact_sourced_count", "claim_list", "coverage"]
        model.objects.bulk_update(changed, counts, batch_size=BATCH)
    HistoricalClaim.objects.bulk_create(
        [
            HistoricalClaim(
                id=claim.pk,
                content_type_id=claim.content_type_id,
                object_id=claim.object_id,
                field=claim.field,
                value=claim.value,
                evidence="",
                rank="normal",
                rank_reason="",
                created_at=claim.created_at,
                updated_at=claim.updated_at,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for claim in Claim.objects.all().iterator()
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0008_claims"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(claims_from_values, migrations.RunPython.noop, elidable=True),
    ]
