"""Template filters shared by every page."""

from django import template

from sources.common.dates import date_display

register = template.Library()


@register.filter
def edtf(value: str) -> str:
    """An EDTF date as a reader says it: 1999-12-14 → 14 December 1999."""
    return date_display(value)
