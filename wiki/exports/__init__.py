"""Exports and feeds: CSV per type, JSON-LD, a page's bibliography, Atom feeds and the sitemap.

Each holds what its reader may see, as the pages show it (wiki.api's visibility rules), and the
large ones stream a chunk at a time (wiki.exports.streaming).
"""
