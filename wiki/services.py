"""Writes that span models: the one way in for saving pages, their facts and relations, and for
the curators' acts. The code lives in the saving room (wiki.saving) and the claims room
(wiki.claims.saving); this module keeps the import path every caller and outside check uses."""

from wiki.claims.saving import ClaimEdit, claim_save
from wiki.saving.curation import (
    page_delete,
    page_lock,
    page_publish,
    publish_blockers,
)
from wiki.saving.pages import EditConflict, links_rebuild, names_rebuild, page_save
from wiki.saving.relations import relation_delete, relation_save

__all__ = [
    "ClaimEdit",
    "EditConflict",
    "claim_save",
    "links_rebuild",
    "names_rebuild",
    "page_delete",
    "page_lock",
    "page_publish",
    "page_save",
    "publish_blockers",
    "relation_delete",
    "relation_save",
]
