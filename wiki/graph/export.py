"""The network for Gephi and other graph tools: GEXF 1.3 (dynamic) and GraphML.

Each is written a node and an edge at a time by a generator, so that the response streams and
no XML document is built in memory (networkx's writers build one). What is held is the network
itself, the rows the page reads too (wiki.graph.network): one Edge per relation with its
passages. Every edge carries its kind, its words, its dates (GEXF `start`/`end`, in dynamic
mode; GraphML `start`/`end` data) and its passages: the quotes, their sources' keys, their
grades and their addresses. A passage of a protected source is "withheld" with its grade and
nothing else, as on the pages.
"""

import re
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from wiki.graph.network import Edge, Network, Node

SEP = " | "  # between the passages of one edge, in each passage attribute
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NODE_ATTRIBUTES = ("type", "url")
EDGE_ATTRIBUTES = ("kind", "relation", "when", "rank", "quotes", "sources", "grades", "passages")


def _text(value) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _attr(value) -> str:
    return quoteattr(_NOT_XML.sub("", str(value)))


def _node_values(node: Node, base: str) -> dict[str, str]:
    return {"type": node.type, "url": base + node.entry.get_absolute_url()}


def _passage(citation, base: str) -> tuple[str, str, str, str]:
    """(source key, quote, grade, address) of a passage; a withheld one keeps its grade only."""
    grade = citation.grade.label if citation.grade else ""
    if getattr(citation, "protected", False):
        return "withheld", "", grade, ""
    return citation.source.key, citation.quote, grade, base + citation.get_absolute_url()


def _edge_values(edge: Edge, base: str) -> dict[str, str]:
    passages = [_passage(citation, base) for citation in edge.passages]
    keys, quotes, grades, urls = ([p[n] for p in passages] for n in range(4))
    return {
        "kind": edge.kind,
        "relation": edge.label,
        "when": edge.when,
        "rank": edge.relation.rank,
        "quotes": SEP.join(quotes),
        "sources": SEP.join(keys),
        "grades": SEP.join(grades),
        "passages": SEP.join(urls),
    }


def _dates(edge: Edge) -> str:
    dates = [("start", edge.earliest), ("end", edge.latest)]
    return "".join(f' {name}="{day.isoformat()}"' for name, day in dates if day is not None)


def gexf(network: Network, base: str = "") -> Iterator[str]:
    """GEXF 1.3 in dynamic mode: an edge exists from its start to its end (open where unknown).
    `base` ("https://host") makes the pages' and passages' addresses absolute."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
    yield "<meta><creator>Attest</creator><description>Actors, factions and events; edges are"
    yield " cited relations</description></meta>\n"
    yield '<graph mode="dynamic" defaultedgetype="directed" timeformat="date">\n'
    for kind, names in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        yield f'<attributes class="{kind}" mode="static">\n'
        for name in names:
            yield f'<attribute id="{name}" title="{name}" type="string"/>\n'
        yield "</attributes>\n"
    yield "<nodes>\n"
    for node in network.nodes:
        yield f"<node id={_attr(node.key)} label={_attr(node.entry.title)}>"
        yield _gexf_values(_node_values(node, base))
        yield "</node>\n"
    yield "</nodes>\n<edges>\n"
    for edge in network.edges:
        yield (
            f"<edge id={_attr(edge.key)} source={_attr(edge.source.key)} "
            f"target={_attr(edge.target.key)} label={_attr(edge.name)}{_dates(edge)}>"
        )
        yield _gexf_values(_edge_values(edge, base))
        yield "</edge>\n"
    yield "</edges>\n</graph>\n</gexf>\n"


def _gexf_values(values: dict[str, str]) -> str:
    shown = "".join(
        f"<attvalue for={_attr(name)} value={_attr(value)}/>" for name, value in values.items()
    )
    return f"<attvalues>{shown}</attvalues>"


def graphml(network: Network, base: str = "") -> Iterator[str]:
    """GraphML: nodes with their type and label, edges with kind, dates and passages as data."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    for name in ("label", *NODE_ATTRIBUTES):
        yield f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="string"/>\n'
    for name in ("label", "start", "end", *EDGE_ATTRIBUTES):
        yield f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="string"/>\n'
    yield '<graph id="attest" edgedefault="directed">\n'
    for node in network.nodes:
        yield f"<node id={_attr(node.key)}>"
        yield _graphml_values("n", {"label": node.entry.title, **_node_values(node, base)})
        yield "</node>\n"
    for edge in network.edges:
        dates = {
            name: day.isoformat()
            for name, day in (("start", edge.earliest), ("end", edge.latest))
            if day is not None
        }
        yield (
            f"<edge id={_attr(edge.key)} source={_attr(edge.source.key)} "
            f"target={_attr(edge.target.key)}>"
        )
        yield _graphml_values("e", {"label": edge.name, **dates, **_edge_values(edge, base)})
        yield "</edge>\n"
    yield "</graph>\n</graphml>\n"


def _graphml_values(prefix: str, values: dict[str, str]) -> str:
    return "".join(
        f'<data key="{prefix}_{name}">{_text(value)}</data>' for name, value in values.items()
    )
