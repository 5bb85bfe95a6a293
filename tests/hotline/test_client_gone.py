"""A write whose caller has hung up is not processed (gunicorn's workers hand over the socket)."""
import socket

from sqlalchemy import func, select

from hotline.client_gone import has_hung_up
from models import Ticket

CALL = {"content": "小区门口道路破损积水，请尽快维修。", "caller_phone": "13812345678", "appeal_type": "complaint"}


def test_a_closed_peer_is_seen_and_an_open_one_is_not():
    mine, theirs = socket.socketpair()
    assert not has_hung_up(mine)
    theirs.sendall(b"x")
    assert not has_hung_up(mine)  # unread data is not a hang-up, and the peek consumes nothing
    assert mine.recv(1) == b"x"
    theirs.close()
    assert has_hung_up(mine)
    mine.close()
    assert not has_hung_up(None)  # not under gunicorn (the test client, the development server)


def test_an_intake_from_a_caller_who_hung_up_saves_nothing(api, session):
    mine, theirs = socket.socketpair()
    theirs.close()
    before = session.scalar(select(func.count()).select_from(Ticket))
    response = api.post("/tickets", "operator", CALL, environ_overrides={"gunicorn.socket": mine})
    assert response.status_code == 499
    assert session.scalar(select(func.count()).select_from(Ticket)) == before
    still_there, other = socket.socketpair()
    assert api.post("/tickets", "operator", CALL, environ_overrides={"gunicorn.socket": still_there}).status_code == 201
    for s in (mine, still_there, other):
        s.close()
