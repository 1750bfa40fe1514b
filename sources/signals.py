"""What the sources app announces to apps built on it.

Sources may not import the wiki, yet the wiki keeps indexes derived from sources (search, the
mention index). source_save sends source_saved inside its transaction; the wiki rebuilds what it
derives from the source there, so a refused save leaves every index as it was.
"""

from django.dispatch import Signal

# Sent with source=<Source> and text_changed=<bool> (True for a new source).
source_saved = Signal()
