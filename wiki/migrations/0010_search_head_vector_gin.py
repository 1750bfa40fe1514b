from django.db import migrations

# PostgreSQL only, as in 0004_search: a GIN index on the head vector (names, summary, tags),
# so that the matches a query finds there are ranked without reading every match.
CREATE = "CREATE INDEX wiki_searchdocument_head_gin ON wiki_searchdocument USING gin (head_vector)"
DROP = "DROP INDEX IF EXISTS wiki_searchdocument_head_gin"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wiki", "0009_claims_from_values")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
