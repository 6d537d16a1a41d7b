"""Links to many records of one kind, built without resolving a URL for each.

``reverse()`` walks the URL patterns on every call: a list of fifty issues with ten mechanisms
each would resolve some 550 URLs per page, and an open data table one per row. ``link_maker``
resolves the URL once, for a placeholder ID, and builds the others by putting each ID in its
place.
"""

from collections.abc import Callable

from django.urls import reverse

# An ID no record has: only ever seen in the URL resolved once, then replaced.
_PLACEHOLDER = 987654321


def link_maker(name: str) -> Callable[[int], str]:
    """A function from a record's ID to the URL of ``name`` (a pattern that takes that one
    ID), the same as ``reverse(name, args=[pk])``."""
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))

    def link(pk: int) -> str:
        return f"{before}{int(pk)}{after}"

    return link
