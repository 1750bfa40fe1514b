"""The network as a page draws it: nodes placed by the layout, the legend's edge kinds, the
filters as a GET form (?year=&tag=&kind=)."""

from django import forms

from sources.common.dates import MAX_YEAR
from wiki.graph import layout
from wiki.graph.network import KINDS, Filters, Network, network


class GraphForm(forms.Form):
    """What a reader narrows the network to; every field stays in the URL."""

    year = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_YEAR,
        help_text="The ties that stood that year; undated ties are left out.",
    )
    tag = forms.SlugField(required=False, max_length=100)
    kind = forms.MultipleChoiceField(
        required=False, choices=list(KINDS.items()), widget=forms.CheckboxSelectMultiple
    )

    def filters(self) -> Filters:
        """The filters this form asks for; an invalid field is left out (and shown with its
        error)."""
        data = getattr(self, "cleaned_data", {})
        return Filters(
            year=data.get("year"),
            tag=(data.get("tag") or "").lower(),
            kinds=tuple(data.get("kind") or ()),
        )


def drawn(user, filters: Filters, *, around=None) -> tuple[Network, layout.Frame]:
    """The network this reader may see, each node placed in a drawing of its size."""
    shown = network(user, filters, around=around)
    drawing = layout.frame(len(shown.nodes))
    pairs = [(edge.source.key, edge.target.key) for edge in shown.edges]
    places = layout.positions([node.key for node in shown.nodes], pairs, drawing)
    for node in shown.nodes:
        node.x, node.y = places[node.key]
    return shown, drawing
