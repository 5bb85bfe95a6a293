"""Knowledge-base search."""

import time

import pytest

from classifier import KBHit, KnowledgeBase

ENTRIES = [
    ("q1", "非京籍人员在京购车有什么条件？", "需要连续五年缴纳社保或个税。", "交管局"),
    ("q2", "住房公积金贷款怎么申请？", "携带身份证到住房公积金管理中心办理。", "住房公积金管理中心"),
    ("q3", "地震来时如何自救？", "保护头部，躲在坚固的桌子旁。", "应急局"),
    ("q4", "医保卡丢了怎么补办？", "到医保经办机构或通过网上办理补卡。", "医保局"),
    ("q5", "小客车指标摇号什么时候开始？", "每两个月摇号一次。", "交通委"),
]


@pytest.fixture(scope="module")
def kb():
    """A five-entry knowledge base."""
    return KnowledgeBase(ENTRIES)


def test_best_match_comes_first(kb):
    """A paraphrased question finds its entry first."""
    hits = kb.search("公积金贷款如何申请")
    assert hits[0] == KBHit("q2", hits[0].score) and kb.department(hits[0].id) == "住房公积金管理中心"


def test_hits_are_sorted_and_limited(kb):
    """Scores descend and ``limit`` caps the list; unrelated entries are left out."""
    hits = kb.search("摇号购车条件", limit=2)
    assert len(hits) <= 2 and [h.id for h in hits][0] in {"q1", "q5"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.score > 0 for h in kb.search("地震"))


def test_answers_are_searched_too(kb):
    """A word only in the answer still retrieves the entry."""
    assert kb.search("个税")[0].id == "q1"


@pytest.mark.parametrize("query", ["", "   ", "！？。", "zzzz"])
def test_empty_or_unknown_queries_return_nothing(kb, query):
    """Empty, punctuation-only and out-of-vocabulary queries give []."""
    assert kb.search(query) == []


def test_long_query_stays_fast(kb):
    """A 5,000-character query is answered quickly."""
    query = ("医保卡丢了怎么补办" * 600)[:5000]
    start = time.perf_counter()
    hits = kb.search(query)
    assert time.perf_counter() - start < 0.5
    assert hits[0].id == "q4"


def test_empty_knowledge_base_and_bad_entries():
    """An empty KB answers nothing; malformed entries are rejected."""
    assert KnowledgeBase([]).search("医保") == []
    assert len(KnowledgeBase(iter(ENTRIES))) == 5  # any iterable, consumed once
    with pytest.raises(ValueError, match="id, question, answer, department"):
        KnowledgeBase([("q1", "only a question")])


def test_none_fields_are_tolerated():
    """Missing answers (None) do not break indexing."""
    kb = KnowledgeBase([("a", "社保卡办理", None, "人社局"), ("b", "驾驶证换证", "", "交管局")])
    assert kb.search("驾驶证")[0].id == "b"
