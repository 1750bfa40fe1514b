"""Template filters and tags shared by every page."""

from django import template

from sources.citations.grading import LEGEND
from sources.common.dates import date_display

register = template.Library()


@register.filter
def edtf(value: str) -> str:
    """An EDTF date as a reader says it: 1999-12-14 → 14 December 1999."""
    return date_display(value)


@register.simple_tag
def grade_scale():
    """The grading scale in words, for includes/grade_legend.html."""
    return LEGEND
