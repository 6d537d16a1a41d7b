"""Media on S3-compatible object storage (MEDIA_S3_BUCKET): a contribution's document is saved
in the bucket, private, and read back through wgec's own view, which still decides who may
read it. The bucket is moto's S3 server in memory."""

import datetime
import tarfile

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from moto import mock_aws

from issues.services.compilations import compilations_discard
from project.backup import backup_restore, backup_write
from project.retention import imports_purge
from tests.factories import MeetingFactory
from wgec.models import Contribution

pytestmark = pytest.mark.django_db

BUCKET = "wgec-media"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def bucket(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-central-2")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-2"}
        )
        # What wgec/settings.py builds from MEDIA_S3_BUCKET, MEDIA_S3_REGION and MEDIA_S3_PREFIX.
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "eu-central-2",
                    "location": "production",
                    "default_acl": None,
                    "querystring_auth": True,
                    "querystring_expire": 300,
                    "file_overwrite": False,
                    "signature_version": "s3v4",
                },
            },
        }
        yield s3


def test_a_contribution_document_is_kept_private_in_the_bucket_and_read_through_wgec(
    bucket, member_client, client
):
    meeting = MeetingFactory(number=3)
    response = member_client.post(
        reverse("wgec:contribution-create"),
        {
            "title": "Framework for the outcome document",
            "kind": "framework",
            "meeting": meeting.pk,
            "text": "1. Introduction",
            "documents": [SimpleUploadedFile("Framework v2.pdf", PDF, "application/pdf")],
        },
    )
    contribution = Contribution.objects.get()
    assert response["Location"] == contribution.get_absolute_url()
    document = contribution.documents.get()
    key = f"production/{document.file.name}"
    assert document.file.name.startswith("contributions/")
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants)

    address = reverse("wgec:contribution-document", args=[document.pk])
    # Not published: hidden from visitors, read by its author from the bucket.
    assert client.get(address).status_code == 404
    download = member_client.get(address)
    assert download.status_code == 200
    assert 'filename="Framework_v2.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF

    bucket.delete_object(Bucket=BUCKET, Key=key)
    assert member_client.get(address).status_code == 404


def test_files_no_import_refers_to_and_discarded_compilations_leave_the_bucket(bucket):
    for name in ["imports/responses/lost.csv", "imports/map/lost.zip", "compilations/a-1.csv"]:
        default_storage.save(name, ContentFile(b"Name\r\nA\r\n"))
    later = timezone.now() + datetime.timedelta(hours=25)
    # S3 has no folders: the imports' ones are found by listing, not by asking if they exist.
    assert imports_purge(now=later) == {"files": 2, "previews": 0}
    assert compilations_discard() == 1
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


# SQLite's online backup waits for the test's transaction to end: the test runs outside one.
@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_buckets_files_and_its_restore_puts_them_back(
    bucket, tmp_path, settings
):
    default_storage.save("contributions/paper.pdf", ContentFile(PDF))
    backup = backup_write(path=tmp_path / "wgec.tar.gz")
    with tarfile.open(backup) as archive:
        assert archive.extractfile("media/contributions/paper.pdf").read() == PDF
    default_storage.delete("contributions/paper.pdf")
    default_storage.save("contributions/paper.pdf", ContentFile(b"%PDF-1.4 changed since"))
    default_storage.save("contributions/later.pdf", ContentFile(PDF))
    database = {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
    if connection.vendor != "sqlite":
        pytest.skip(
            "the restore into a fresh PostgreSQL database is tests/project/test_backup.py's"
        )
    result = backup_restore(path=backup, database=database)
    assert (result.media_files, result.previous_media) == (1, None)
    with default_storage.open("contributions/paper.pdf") as handle:
        assert handle.read() == PDF
    # A file the backup does not hold stays: the restore replaces, it does not empty the bucket.
    assert default_storage.exists("contributions/later.pdf")
