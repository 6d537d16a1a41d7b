"""Retention of the compilations of responses kept in media storage (``issues/exports.py``).

A compilation is kept per state of the data, and one of an earlier state stays in storage until
the same compilation is asked for again. When a respondent withdraws consent (or is deleted),
the files that may hold their answers must go at once: which ones do is not recorded, so every
kept compilation goes (each is rebuilt on the next download, from the published answers only).
"""

from django.core.files.storage import default_storage

from issues.exports import COMPILATIONS


def compilations_discard() -> int:
    """Delete every kept compilation; returns how many files went. The markers of builds under
    way stay: such a build throws its file away when it finds the data changed meanwhile."""
    try:
        _, files = default_storage.listdir(COMPILATIONS)
    except FileNotFoundError:
        return 0
    gone = 0
    for name in files:
        if not name.endswith(".pending"):
            default_storage.delete(f"{COMPILATIONS}/{name}")
            gone += 1
    return gone
