"""Background work of the issues room (django.tasks, run by ``manage.py db_worker``): building
a large compilation of responses. The responses import's tasks are in
``issues.services.response_uploads``, beside the services that enqueue them."""

from django.core.files.storage import default_storage
from django.tasks import task

from issues.exports import compilation_bytes, compilation_keep, compilation_path, data_stamp


@task()
def compilation_build(*, kind: str, fmt: str, query: str, path: str, language: str = "en") -> str:
    """Build a large compilation of responses into media storage (see exports.py)."""
    content = compilation_bytes(kind=kind, fmt=fmt, query=query, language=language)
    compilation_keep(path, content)
    default_storage.delete(f"{path}.pending")
    stamp = data_stamp()
    if compilation_path(kind=kind, fmt=fmt, query=query, stamp=stamp, language=language) != path:
        # The data changed while building (a consent withdrawn, perhaps): this file may hold
        # what may no longer be published, and nobody will ask for it.
        default_storage.delete(path)
    return path
