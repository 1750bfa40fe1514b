"""Kept for the migrations, which name `sources.model_bases.EDTFField`: the code lives in
`sources.common.models`."""

from sources.common.models import EDTFField  # noqa: F401
