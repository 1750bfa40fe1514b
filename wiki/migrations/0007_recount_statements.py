"""Count each page's statements again under the stricter rule: a citation backs the sentence it
is attached to, not the sentences before it in the paragraph.

The counts are derived (page_save stores them); pages saved under the earlier rule would
otherwise keep an overstated coverage in lists and in the publishing check until their next
save. No revision is written: the text is unchanged.
"""

from django.db import migrations

BATCH = 500


def recount(apps, schema_editor):
    from wiki.markup.parse import MarkupError, parse

    for name in ("Actor", "Faction", "Event"):
        model = apps.get_model("wiki", name)
        changed = []
        for page in model.objects.only("pk", "body", "sentence_count", "sourced_count").iterator():
            try:
                coverage = parse(page.body, passages=False).coverage
            except MarkupError:
                continue  # a body that cannot be read keeps its counts; its page shows the error
            if (page.sentence_count, page.sourced_count) != (coverage.total, coverage.sourced):
                page.sentence_count, page.sourced_count = coverage.total, coverage.sourced
                page.coverage = coverage.ratio
                changed.append(page)
        fields = ["sentence_count", "sourced_count", "coverage"]
        model.objects.bulk_update(changed, fields, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0006_evidence_help_passage"),
    ]

    operations = [
        migrations.RunPython(recount, migrations.RunPython.noop, elidable=True),
    ]
