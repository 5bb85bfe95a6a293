"""Photos and PDFs on a ticket: checked by content, stored under ATTACHMENT_DIR, served only to who may see the ticket."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import Attachment, EventAction
from tests import builders
from tests.images import PDF, png


@pytest.fixture
def number(session, policy, clock) -> str:
    """A ticket at unit zjj."""
    ticket = builders.dispatched(session, policy, clock.now)
    session.commit()
    return ticket.number


def upload(api, number: str, user: str, data: bytes, name: str):
    return api.call("POST", f"/tickets/{number}/attachments", user, data={"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


def fetch(get, *args):
    """GET a file and close the response (send_file keeps the file open until then)."""
    response = get(*args)
    response.get_data()  # read it all, then let go of the file
    response.close()
    return response


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Attachment))


def test_a_photo_is_typed_by_its_content_stored_and_served_with_a_thumbnail(api, app, session, number):
    answer = upload(api, number, "operator", png(), "scan.pdf")  # the name lies; the bytes decide
    assert answer.status_code == 201, answer.json
    assert answer.json["content_type"] == "image/png" and answer.json["source"] == "intake"
    stored = list(Path(app.config["ATTACHMENT_DIR"]).rglob("*.png"))
    assert len(stored) == 1 and stored[0].read_bytes() == png()
    assert builders.ticket_row(session, number).events[-1].action == EventAction.ATTACHED

    path = f"/tickets/{number}/attachments/{answer.json['id']}"
    file = fetch(api.get, path, "zjj")  # the unit the ticket is at
    assert file.status_code == 200 and file.mimetype == "image/png" and file.data == png()
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    thumb = fetch(api.get, f"{path}/thumbnail", "zjj")
    with Image.open(io.BytesIO(thumb.data)) as image:
        assert image.format == "JPEG" and max(image.size) == app.config["ATTACHMENT_THUMB_PX"]
    assert [a["id"] for a in api.get(f"/tickets/{number}/attachments", "zjj").json] == [answer.json["id"]]


def test_another_unit_cannot_see_or_add_attachments(api, number):
    answer = upload(api, number, "operator", PDF, "letter.pdf")
    assert answer.json["content_type"] == "application/pdf"
    path = f"/tickets/{number}/attachments/{answer.json['id']}"
    assert api.get(path, "jtj").status_code == 404
    assert api.get(f"/tickets/{number}/attachments", "jtj").status_code == 404
    assert upload(api, number, "jtj", png(), "x.png").status_code == 404
    download = fetch(api.get, path, "supervisor")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.app_config(ATTACHMENT_MAX_BYTES=4096, ATTACHMENT_MAX_PER_TICKET=1)
@pytest.mark.parametrize("data, name", [
    (b"#!/bin/sh\necho not a photo\n", "photo.jpg"),
    (png()[:200], "truncated.png"),
    (png(1200, 1200) + b"\0" * 5000, "big.png"),
    (b"", "empty.png"),
])
def test_bad_files_are_refused_naming_the_field_and_nothing_is_saved(api, session, number, data, name):
    answer = upload(api, number, "operator", data, name)
    assert answer.status_code == 400 and answer.json["field"] == "file"
    assert count(session) == 0


@pytest.mark.app_config(ATTACHMENT_MAX_PER_TICKET=1)
def test_a_ticket_holds_at_most_the_configured_number(api, session, number):
    assert upload(api, number, "operator", png(), "a.png").status_code == 201
    answer = upload(api, number, "operator", PDF, "b.pdf")
    assert answer.status_code == 400 and "at most 1" in answer.json["message"]
    assert count(session) == 1


def test_a_missing_file_is_a_400(api, number):
    answer = api.call("POST", f"/tickets/{number}/attachments", "operator", data={},
                      content_type="multipart/form-data")
    assert answer.status_code == 400 and answer.json["field"] == "file"


def test_the_unit_uploads_on_its_ticket_page_and_sees_the_thumbnail(client, session, number):
    client.post("/login", data={"username": "zjj", "password": "demo12345"})
    done = client.post(f"/attachments/{number}", data={"file": (io.BytesIO(png()), "site.png"),
                                                       "next": f"/department/tickets/{number}"},
                       content_type="multipart/form-data")
    assert done.status_code == 302 and done.headers["Location"] == f"/department/tickets/{number}"
    [attachment] = session.scalars(select(Attachment)).all()
    assert attachment.source == "reply"
    page = client.get(f"/department/tickets/{number}")
    assert f"/attachments/{number}/{attachment.id}/thumbnail" in page.text
    assert fetch(client.get, f"/attachments/{number}/{attachment.id}/thumbnail").mimetype == "image/jpeg"
