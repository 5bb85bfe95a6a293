"""Photos and PDFs on a ticket: type and size checked on the bytes, files named by their SHA-256."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Attachment, Ticket, User

from . import workflow
from .errors import InvalidInput, NotFound

# Pillow format → content type; anything else is refused, whatever its name says.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
PDF = "application/pdf"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp", PDF: "pdf"}
SOURCES = ("intake", "reply", "open311", "upload")


@dataclass(frozen=True)
class AttachmentRules:
    """Where files go and how big they may be (ATTACHMENT_* settings)."""

    directory: Path
    max_bytes: int = 10 * 1024 * 1024
    max_per_ticket: int = 10
    thumb_px: int = 240


def megabytes(size: int) -> str:
    """A size limit as people say it: 10, or 0.5 (MB)."""
    return f"{size / (1024 * 1024):g}"


def sniff(data: bytes) -> str:
    """The content type of the bytes (PDF or an image Pillow can read), or a 400 for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = IMAGE_TYPES.get(image.format or "")
            image.verify()  # a truncated or forged image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind is None:
        raise InvalidInput("unsupported_file", field="file")
    return kind


def path_of(rules: AttachmentRules, attachment: Attachment) -> Path:
    """Where an attachment's bytes are kept."""
    return rules.directory / attachment.sha256[:2] / f"{attachment.sha256}.{EXTENSIONS[attachment.content_type]}"


def _write_once(path: Path, data: bytes) -> None:
    """Write atomically (temp file, then rename), so a host never reads half a file from the shared volume."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def add(session: Session, ticket: Ticket, data: bytes, filename: str, source: str, actor: User | None,
        rules: AttachmentRules, now: datetime) -> Attachment:
    """Check and store a file and record it on the ticket (with an event)."""
    if not data:
        raise InvalidInput("required", field="file", name="file")
    if len(data) > rules.max_bytes:
        raise InvalidInput("file_too_large", field="file", name="file", limit=megabytes(rules.max_bytes))
    if source not in SOURCES:
        raise InvalidInput("bad_choice", field="source", name="source", allowed=list(SOURCES))
    count = session.scalar(select(func.count()).where(Attachment.ticket_id == ticket.id)) or 0
    if count >= rules.max_per_ticket:
        raise InvalidInput("too_many_attachments", field="file", limit=rules.max_per_ticket)
    content_type = sniff(data)
    attachment = Attachment(ticket=ticket, sha256=hashlib.sha256(data).hexdigest(), content_type=content_type,
                            size=len(data), filename=Path(filename or "").name[:200], source=source,
                            uploaded_by_id=actor.id if actor else None, created_at=now)
    # The file first: if the transaction then fails, an unreferenced file is left, never a row without its file.
    _write_once(path_of(rules, attachment), data)
    session.add(attachment)
    workflow.note_attachment(session, ticket, attachment, actor, now)
    session.flush()
    return attachment


def of_ticket(session: Session, ticket: Ticket) -> list[Attachment]:
    """A ticket's attachments, oldest first."""
    return list(session.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.id)))


def get(session: Session, ticket: Ticket, attachment_id: int) -> Attachment:
    """One attachment of this ticket, or a 404."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.ticket_id != ticket.id:
        raise NotFound("record_not_found", field="attachment", kind="attachment", id=attachment_id)
    return attachment


def thumbnail(rules: AttachmentRules, attachment: Attachment) -> Path:
    """A JPEG at most `thumb_px` on its longer side, made on first use and kept beside the originals."""
    if not attachment.is_image:
        raise NotFound("record_not_found", field="attachment", kind="thumbnail", id=attachment.id)
    path = rules.directory / "thumbs" / f"{attachment.sha256}-{rules.thumb_px}.jpg"
    if not path.exists():
        with Image.open(path_of(rules, attachment)) as image:
            image.thumbnail((rules.thumb_px, rules.thumb_px))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
        _write_once(path, out.getvalue())
    return path
