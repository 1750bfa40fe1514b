"""/sitemap.xml holds published pages and public sources only; /export/ lists every export and
is linked from every page's footer."""

import pytest
from lxml import etree

from tests.wiki.exports.conftest import SECRET_WORDS
from wiki.exports.tables import TABLES

pytestmark = pytest.mark.django_db

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(response) -> list[str]:
    urlset = etree.fromstring(response.content)
    return [loc.text for loc in urlset.findall("s:url/s:loc", SITEMAP)]


def test_the_sitemap_holds_published_pages_and_public_sources(client, team_client, world):
    found = locations(client.get("/sitemap.xml"))
    base = "http://testserver"
    for path in ("/actors/commander/", "/factions/coalition/", "/events/truce/", "/sources/open/"):
        assert base + path in found
    assert base + "/export/" in found
    assert not [url for url in found if any(w.lower() in url for w in SECRET_WORDS)]
    assert locations(team_client.get("/sitemap.xml")) == found


def test_the_index_lists_every_export(client, world):
    html = client.get("/export/").content.decode()
    for name in TABLES:
        assert f'href="/export/{name}.csv"' in html
    exports = ("/export/wiki.jsonld", "/export/graph.gexf", "/export/graph.graphml")
    for href in (*exports, "/feeds/changes.atom", "/sitemap.xml"):
        assert f'href="{href}"' in html
    assert "cite.bib" in html


def test_every_page_links_to_the_exports_in_its_footer(client, world):
    footer = client.get("/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert 'href="/export/"' in footer
