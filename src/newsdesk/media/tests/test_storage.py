"""Uploads go through Django's storage API: local files, or S3 by setting."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.core.files.storage import default_storage


def settings_with(env: dict) -> dict:
    code = (
        "import json; from newsdesk import settings as s; "
        "print(json.dumps(s.STORAGES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_uploads_are_local_files_by_default(make_image, media_root):
    image = make_image()
    assert default_storage.exists(image.file.name)
    assert (media_root / image.file.name).is_file()
    assert image.url == f"/media/{image.file.name}"


def test_a_bucket_setting_puts_uploads_on_s3_compatible_storage():
    storage = settings_with(
        {
            "NEWSDESK_S3_BUCKET": "newsroom-media",
            "NEWSDESK_S3_ENDPOINT_URL": "https://s3.example.net",
            "NEWSDESK_S3_CUSTOM_DOMAIN": "media.example.com",
            "NEWSDESK_S3_PREFIX": "/uploads/",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["location"] == "uploads"
    assert options["querystring_auth"] is False

    from storages.backends.s3 import S3Storage

    # Addresses are made without a request to the service.
    s3 = S3Storage(**options)
    assert s3.url("images/2026/11/dam-1a2b.jpg") == (
        "https://media.example.com/uploads/images/2026/11/dam-1a2b.jpg"
    )


def test_without_a_bucket_storage_stays_local():
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_S3")}
    assert (
        "FileSystemStorage"
        in settings_with(env | {"NEWSDESK_S3_BUCKET": ""})["BACKEND"]
    )
