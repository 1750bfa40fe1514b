"""The API's small wiki serves the exports' tests too: a published page citing a public and a
protected source in its body, for a fact and in a relation; a draft; an unpublished source."""

import pytest

from tests.wiki.api.conftest import team_client, world  # noqa: F401 (fixtures)

SECRET_WORDS = ("Secretword", "secretword", "Draftword", "draftword")


def text_of(response) -> str:
    """The body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def hidden_words():
    """What the public must never read in an export."""
    return SECRET_WORDS
