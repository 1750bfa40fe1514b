"""The timeline's filters as a GET form: ?actor=&faction=&tag=&from=&to=&zoom=."""

from django import forms
from django.http import Http404

from sources.common.dates import MAX_YEAR
from wiki.models import Actor, Faction
from wiki.timeline import layout
from wiki.timeline.items import Filters

ZOOM_CHOICES = [("", "Fit the dates"), *((zoom, zoom.capitalize()) for zoom in layout.ZOOMS)]


def _year(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=MAX_YEAR, widget=forms.NumberInput()
    )


class TimelineForm(forms.Form):
    """What a reader narrows the timeline to; every field stays in the URL."""

    actor = forms.SlugField(
        required=False, max_length=200, help_text="The actor's page name in its address."
    )
    faction = forms.SlugField(
        required=False, max_length=200, help_text="The faction's page name in its address."
    )
    tag = forms.SlugField(required=False, max_length=100)
    zoom = forms.ChoiceField(required=False, choices=ZOOM_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are the URL's words (Python reserves "from").
        self.fields["from"] = _year("From year")
        self.fields["to"] = _year("To year")
        self.order_fields(["actor", "faction", "tag", "from", "to", "zoom"])

    def clean(self):
        data = super().clean()
        first, last = data.get("from"), data.get("to")
        if first and last and first > last:
            data["from"], data["to"] = last, first  # read "from 2001 to 1992" as meant
        return data

    def value(self, name: str):
        """A field's cleaned value, blank when it was not valid (the error is shown beside it)."""
        return getattr(self, "cleaned_data", {}).get(name)

    def filters(self, user) -> Filters:
        """The filters this form asks for; an actor or faction the reader may not see is a 404."""
        named = {}
        for name, model in (("actor", Actor), ("faction", Faction)):
            slug = self.value(name)
            if slug:
                entry = model.objects.visible_to(user).defer("body").filter(slug=slug).first()
                if entry is None:
                    raise Http404(f"No {name} of that name.")
                named[name] = entry
        return Filters(
            actor=named.get("actor"),
            faction=named.get("faction"),
            tag=(self.value("tag") or "").lower(),
            from_year=self.value("from"),
            to_year=self.value("to"),
        )
