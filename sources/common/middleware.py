"""Request checks that hold for every URL of the site."""

from django.core.exceptions import BadRequest


def refuse_nul_characters(get_response):
    """Answer 400 when the address or its query holds a NUL character.

    No name, key, tag or search contains one, and PostgreSQL refuses NUL in text, so without this
    check a lookup of "/tags/%00/" would fail deep in the database with a 500.
    """

    def middleware(request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            raise BadRequest("The address holds a NUL character.")
        return get_response(request)

    return middleware
