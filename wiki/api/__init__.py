"""The read-only JSON API at /api/: entries, sources, claims, relations and citations, each
statement with its passages as W3C Web Annotation selectors. The public sees exactly what the
pages show it; the team (a session or a token) sees everything."""
