import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wiki", "0004_search")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="head_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
    ]
