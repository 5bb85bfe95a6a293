"""Routing rules: the district's unit first, else the city-wide default; the gazetteer finds the district."""
from hotline.services.places import load_gazetteer
from hotline.services.routing import resolve_departments


def test_district_rule_beats_city_wide_default(session):
    units = resolve_departments(session, ["城建", "交通"], "雁峰区")
    assert units["城建"].code == "yfq"  # 属地: the district answers for city-building matters
    assert units["交通"].code == "jtj"  # no district rule: the bureau


def test_without_district_the_city_wide_rule_applies(session):
    assert resolve_departments(session, ["城建"], None)["城建"].code == "zjj"


def test_unknown_category_has_no_unit(session):
    assert resolve_departments(session, ["外星人"], "雁峰区") == {}


def test_gazetteer_prefers_the_address_and_knows_streets_and_aliases(session):
    gazetteer = load_gazetteer(session)  # the demo package's, imported into the database
    assert gazetteer.extract("先锋街道解放路12号", "石鼓区的事") == "雁峰区"
    assert gazetteer.extract("", "我在衡阳高新区华新街道上班") == "高新区"
    assert gazetteer.extract("耒阳市蔡子池街道", "") == "耒阳市"
    assert gazetteer.extract("北京市朝阳区", "没有衡阳地名") is None
    assert gazetteer.city == "衡阳市" and "南岳衡山开发区" in gazetteer.districts


def test_earliest_mention_wins(session):
    gazetteer = load_gazetteer(session)
    assert gazetteer.extract("珠晖区东风路街道，靠近雁峰区") == "珠晖区"
