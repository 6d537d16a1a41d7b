"""Background work of the issues room (django.tasks, run by ``manage.py db_worker``): building
a large compilation of responses, and importing a large responses file."""

from django.core.files.storage import default_storage
from django.tasks import task

from issues.exports import compilation_bytes, compilation_keep, compilation_path, data_stamp
from issues.services.responses import responses_import_file


@task()
def compilation_build(*, kind: str, fmt: str, query: str, path: str) -> str:
    """Build a large compilation of responses into media storage (see exports.py)."""
    content = compilation_bytes(kind=kind, fmt=fmt, query=query)
    compilation_keep(path, content)
    default_storage.delete(f"{path}.pending")
    if compilation_path(kind=kind, fmt=fmt, query=query, stamp=data_stamp()) != path:
        # The data changed while building (a consent withdrawn, perhaps): this file may hold
        # what may no longer be published, and nobody will ask for it.
        default_storage.delete(path)
    return path


@task()
def responses_import_run(*, path: str, filename: str, previewed: str, user_id: int) -> dict:
    """Import a confirmed responses file kept in media storage (a large admin import)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    plan = responses_import_file(data=data, filename=filename, previewed=previewed, user=user)
    default_storage.delete(path)
    return {
        "file": filename,
        "written": plan.written,
        "summary": plan.summary(),
        "errors": [str(error) for error in plan.errors],
    }
