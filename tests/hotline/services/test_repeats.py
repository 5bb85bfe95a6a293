"""Finding the earlier tickets a new appeal repeats (重复件), called directly on rows built in the session."""
from datetime import timedelta

import pytest

from hotline.services.repeats import RepeatRules, bigram_text, bigrams, cosine, find_repeats
from models import TicketStatus
from tests.builders import at, make_ticket

NOW = at(2026, 11, 16, 9)
PHONE = "13812345678"
NOISE = "我家楼下的烧烤店每天晚上营业到凌晨两点，油烟和噪音严重扰民，多次反映没有解决。"
NEARLY = NOISE.replace("两点", "三点")  # cosine 0.94 with NOISE
LOOSELY = "烧烤店营业到凌晨两点，油烟很大。"  # 0.47: enough for the same caller, not for a neighbour
SCHOOL = "孩子明年上小学，想咨询学区划分和入学报名需要准备哪些材料。"  # nothing in common


def earlier(session, content=NOISE, phone=PHONE, district="雁峰区", days_ago=3, **fields):
    """A ticket created `days_ago` days before NOW."""
    return make_ticket(session, NOW - timedelta(days=days_ago), content=content, caller_phone=phone,
                       district=district, **fields)


def found(session, content=NOISE, phone=PHONE, district="雁峰区", **kwargs) -> list[tuple[str, str]]:
    """(number, reason) of what find_repeats gives for an appeal made at NOW."""
    return [(s.ticket.number, s.reason) for s in find_repeats(
        session, caller_phone=phone, content=content, district=district, now=NOW, **kwargs)]


def test_bigrams_ignore_punctuation_and_masking():
    assert bigrams("墙皮，脱落！") == bigrams("墙皮脱落") == bigrams("墙皮**脱落")
    assert cosine(bigrams(NOISE), bigrams(NOISE)) == pytest.approx(1.0)
    assert cosine(bigrams(NOISE), bigrams(SCHOOL)) == 0.0
    assert cosine(bigrams(""), bigrams(NOISE)) == 0.0


def test_the_same_caller_needs_only_a_loose_match(session):
    ticket = earlier(session, LOOSELY)
    assert found(session) == [(ticket.number, "same_caller")]
    assert found(session, rules=RepeatRules(caller_similarity=0.5)) == []


def test_a_neighbour_needs_nearly_the_same_words_in_the_same_district(session):
    loose, near = earlier(session, LOOSELY, phone="13900000001"), earlier(session, NEARLY, phone="13900000002")
    assert found(session) == [(near.number, "same_place")]
    assert found(session, district="珠晖区") == []  # another district: only the caller could link it
    assert found(session, rules=RepeatRules(place_similarity=0.4)) == [(near.number, "same_place"),
                                                                      (loose.number, "same_place")]


def test_another_problem_is_not_a_repeat(session):
    earlier(session, SCHOOL)
    assert found(session) == []


def test_the_window_counts_for_closed_tickets_only(session):
    closed = earlier(session, days_ago=31, status=TicketStatus.CLOSED)
    assert found(session) == []
    assert found(session, rules=RepeatRules(window_days=40)) == [(closed.number, "same_caller")]
    still_open = earlier(session, days_ago=90, status=TicketStatus.DISPATCHED)
    assert found(session) == [(still_open.number, "same_caller")]


def test_most_similar_first_without_the_ticket_itself_and_within_the_limit(session):
    loose, near, same = earlier(session, LOOSELY), earlier(session, NEARLY), earlier(session, NOISE, days_ago=0)
    assert found(session) == [(same.number, "same_caller"), (near.number, "same_caller"),
                              (loose.number, "same_caller")]
    assert found(session, exclude_id=same.id, limit=1) == [(near.number, "same_caller")]


def test_stored_bigrams_and_text_without_them_compare_alike(session):
    stored = earlier(session, phone="13900000001", content_bigrams=bigram_text(NEARLY), content=NEARLY)
    unstored = earlier(session, phone="13900000002", content=NEARLY, days_ago=4)  # older than migration 0021
    assert unstored.content_bigrams is None
    similar = find_repeats(session, caller_phone=PHONE, content=NOISE, district="雁峰区", now=NOW)
    expected = round(cosine(bigrams(NOISE), bigrams(NEARLY)), 6)
    assert {s.ticket.number: round(s.similarity, 6) for s in similar} == {stored.number: expected,
                                                                          unstored.number: expected}


def test_old_open_tickets_of_the_district_and_the_caller_are_found_beyond_the_newest_ones(session, monkeypatch):
    monkeypatch.setattr("hotline.services.repeats.MAX_CANDIDATES", 2)
    old_open = earlier(session, days_ago=90, status=TicketStatus.SIGNED, phone="13900000003")
    old_mine = earlier(session, days_ago=80, status=TicketStatus.DISPATCHED, content=LOOSELY)
    for i in range(3):  # more recent tickets of the district than the search reads from the window
        earlier(session, content=SCHOOL, phone=f"1390000010{i}", days_ago=1)
    numbers = {number for number, _ in found(session)}
    assert {old_open.number, old_mine.number} <= numbers


def test_the_hot_spot_count_comes_with_the_search(session):
    from hotline.services.alerts import hotspot_count
    from hotline.services.repeats import search

    for hours in (1, 2, 30):
        earlier(session, content=SCHOOL, phone="13900000009", days_ago=hours / 24, predicted_category="教育")
    result = search(session, caller_phone="13700000000", content="完全不同的内容", district="珠晖区", now=NOW,
                    also_count=hotspot_count("教育", "雁峰区", NOW))
    assert (result.matches, result.counted) == ([], 2)  # nothing found in 珠晖区, two in 雁峰区's last 24 h
