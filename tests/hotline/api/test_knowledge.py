"""Knowledge base: seeded from the bundled Q&A, searched by operators, edited by admins."""

import pytest

from sqlalchemy import func, select

from hotline.services.knowledge import BUNDLED_KB, exchanged_reason, seed_knowledge
from models import KBEntry

KB_CSV = BUNDLED_KB


@pytest.fixture
def seeded(session):
    added = seed_knowledge(session, KB_CSV)
    session.commit()
    return added


def test_seed_imports_the_bundled_questions_once(session, seeded):
    assert seeded.added > 1700
    assert seed_knowledge(session, KB_CSV).added == 0


def test_seed_refuses_a_question_that_reads_like_an_answer_naming_its_row(session, seeded):
    # msga-dept-02294's question cell holds the 交通委's duties, its answer cell their title.
    assert len(seeded.refused) == 1
    assert seeded.refused[0].startswith("msga_dept.csv, row ")
    assert "msga-dept-02294" in seeded.refused[0] and "reads like an answer" in seeded.refused[0]
    assert not session.scalar(select(KBEntry).where(KBEntry.source.endswith("msga-dept-02294")))
    assert session.scalar(select(func.count()).select_from(KBEntry)) == seeded.added


@pytest.mark.parametrize(("question", "answer", "refused"), [
    ("非京籍人员在京购车有什么条件？", "需持有效居住证并连续缴纳社保满五年。", False),
    ("属于本次确权登记发证范围，已收归国有的土地按国有土地登记。", "是不是确权登记发证范围？", True),  # exchanged
    ("一二三四五六七八九十" * 5, "职责介绍", True),  # no question mark, 50 characters against 4
    ("该村土地是不是农村集体土地确权登记发证范围", "属于本次确权登记发证范围。", False),  # no mark, not much longer
])
def test_exchanged_question_and_answer_are_recognised(question, answer, refused):
    assert (exchanged_reason(question, answer) is not None) is refused


def test_search_finds_the_answer_with_its_department(api, seeded):
    body = api.get("/kb/search?q=非京籍人员购车条件&limit=3", "operator").json
    assert 1 <= len(body["results"]) <= 3
    top = body["results"][0]
    assert "购车" in top["question"]
    assert top["answer"] and top["department"]
    assert top["source"].startswith("MSGABench·北京 msga-dept-")  # Beijing's answer, and it says so
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_empty_query_finds_nothing(api, seeded):
    assert api.get("/kb/search?q=", "operator").json["results"] == []


def test_long_query_answers_without_error(api, seeded):
    response = api.get("/kb/search?q=" + "公积金提取" * 1000, "operator")
    assert response.status_code == 200
    assert response.json["results"]


def test_over_long_query_is_400(api, seeded):
    response = api.get("/kb/search?q=" + "长" * 5001, "operator")
    assert response.status_code == 400
    assert response.json["field"] == "q"


@pytest.mark.parametrize("limit", ["0", "21", "many"])
def test_bad_limit_is_400(api, seeded, limit):
    response = api.get(f"/kb/search?q=公积金&limit={limit}", "operator")
    assert response.status_code == 400
    assert response.json["field"] == "limit"


def test_admin_adds_an_entry_that_search_then_finds(api, seeded):
    created = api.post("/kb/entries", "admin", {"question": "衡阳市雁峰区独生子女证在哪里办理",
                                                 "answer": "到户籍所在地街道计生办办理。", "department": "市卫生健康委员会"})
    assert created.status_code == 201
    results = api.get("/kb/search?q=雁峰区独生子女证办理", "operator").json["results"]
    assert results[0]["id"] == created.json["id"]
    changed = api.call("PUT", f"/kb/entries/{created.json['id']}", "admin",
                       json={"question": "衡阳市雁峰区独生子女证在哪里办理", "answer": "已改为网上办理。",
                             "department": "市卫生健康委员会", "active": False})
    assert changed.status_code == 200
    results = api.get("/kb/search?q=雁峰区独生子女证办理", "operator").json["results"]
    assert created.json["id"] not in [r["id"] for r in results]


def test_only_admins_edit(api, seeded):
    response = api.post("/kb/entries", "operator", {"question": "q", "answer": "a", "department": "d"})
    assert response.status_code == 403


def test_entry_needs_every_field(api, seeded):
    response = api.post("/kb/entries", "admin", {"question": "q", "answer": "  ", "department": "d"})
    assert response.status_code == 400
    assert response.json["field"] == "answer"
