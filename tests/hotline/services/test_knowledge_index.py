"""The knowledge index is built before the first call and rebuilt in the background after an edit."""
from hotline.services.knowledge import KnowledgeIndex
from models import KBEntry

QUESTION = "衡阳市雁峰区独生子女证在哪里办理"


def test_an_edit_is_indexed_in_the_background_while_searches_go_on(app, session):
    index = KnowledgeIndex(app.extensions["hotline.sessionmaker"])
    index.warm(session)
    assert all(hit.entry.question != QUESTION for hit in index.search(session, QUESTION))
    entry = KBEntry(question=QUESTION, answer="到区卫健局办理。", department="市卫生健康委员会", source="admin")
    session.add(entry)
    session.commit()
    # This search is answered at once by the index it has; the new one is being built meanwhile.
    index.search(session, QUESTION)
    index.wait(30)
    assert index.search(session, QUESTION)[0].entry.id == entry.id
    entry.active = False
    session.commit()
    # Switched off: gone from the answers at once, before any rebuild.
    assert entry.id not in [hit.entry.id for hit in index.search(session, QUESTION)]
    index.wait(30)


def test_start_up_builds_the_index_for_the_first_call(app):
    from hotline.routing_setup import warm_up

    warm_up(app)
    assert app.extensions["hotline.kb"]._index is not None
