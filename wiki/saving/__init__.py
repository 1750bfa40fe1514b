"""Saving pages and relations, and the curators' acts on pages (wiki.services is the front door)."""
