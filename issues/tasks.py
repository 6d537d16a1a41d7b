"""Background tasks of the issues app (django.tasks, run by ``manage.py db_worker``)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task

from issues.exports import compilation_bytes


@task()
def compilation_build(*, kind: str, fmt: str, query: str, path: str) -> str:
    """Build a large compilation of responses into media storage (see exports.py)."""
    content = compilation_bytes(kind=kind, fmt=fmt, query=query)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    default_storage.delete(f"{path}.pending")
    return path
