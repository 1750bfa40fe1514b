from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


def _groups_after_migrate(sender, using="default", **kwargs):
    from django.apps import apps

    from wiki.groups import groups_ensure

    groups_ensure(apps, using=using)


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        # A flush (between transactional tests, before a restore) empties the groups table.
        post_migrate.connect(_groups_after_migrate, sender=self)
        from sources.signals import source_saved
        from wiki.search.index import search_document_on_delete, search_document_on_source_saved

        # The search index holds sources too; it follows each source save in its transaction,
        # and forgets whatever is deleted without the services (the admin's delete).
        source_saved.connect(search_document_on_source_saved, dispatch_uid="wiki-search-source")
        post_delete.connect(search_document_on_delete, dispatch_uid="wiki-search-delete")
        from wiki.tasks import source_saved_receiver

        # The mention index follows each source save too: a new or changed text is rematched,
        # in the background once the save commits.
        source_saved.connect(source_saved_receiver, dispatch_uid="wiki-mentions-source")
        from wiki import requoting

        # A corrected passage is rewritten in the texts quoting it, in the correction's
        # transaction; and check_citations learns where those texts keep their citations.
        source_saved.connect(requoting.source_saved_receiver, dispatch_uid="wiki-requoting")
        requoting.citing_texts_register()
