"""The attachment settings in force, and reading an uploaded file within its size limit."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from .services.attachments import AttachmentRules, megabytes
from .services.errors import InvalidInput


def attachment_rules() -> AttachmentRules:
    """ATTACHMENT_DIR (default <instance>/attachments) and the ATTACHMENT_* limits."""
    config = current_app.config
    directory = Path(config["ATTACHMENT_DIR"] or Path(current_app.instance_path) / "attachments")
    return AttachmentRules(directory, int(config["ATTACHMENT_MAX_BYTES"]), int(config["ATTACHMENT_MAX_PER_TICKET"]),
                           int(config["ATTACHMENT_THUMB_PX"]))


def read_upload(file: FileStorage | None, field: str = "file") -> tuple[bytes, str]:
    """The bytes and name of an uploaded file, reading one byte past the limit to tell an oversized one."""
    if file is None or not file.filename:
        raise InvalidInput("required", field=field, name=field)
    limit = attachment_rules().max_bytes
    data = file.stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput("file_too_large", field=field, name=field, limit=megabytes(limit))
    return data, file.filename
