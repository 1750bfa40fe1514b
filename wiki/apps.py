from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _groups_after_migrate(sender, using="default", **kwargs):
    from django.apps import apps

    from .groups import groups_ensure

    groups_ensure(apps, using=using)


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        # A flush (between transactional tests, before a restore) empties the groups table.
        post_migrate.connect(_groups_after_migrate, sender=self)
