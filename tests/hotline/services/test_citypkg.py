"""City packages: import checks every file before writing, upserts by code, deactivates, reports; export round-trips."""
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from hotline.services.citypkg import PackageInvalid, export_package, import_package
from hotline.services.citypkg.sheets import read_csv
from hotline.services.demo import DEMO_CITY
from hotline.services.places import load_gazetteer
from hotline.services.routing import resolve_departments
from models import Category, Department, KBEntry, Place, RoutingRule, User
from tests.conftest import wipe
from tests.builders import appending, city_package, department, dropping, make_ticket, replacing, setting, user

NOW = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)
MODELS = (Department, Category, Place, RoutingRule, KBEntry, User)


def secret(username: str) -> tuple[str, str]:
    """A cheap stand-in for hashing: the tests check which users got one, not the hash."""
    return f"pw-{username}", f"hash-{username}"


def load(session, path):
    """Import `path` the way the CLI does."""
    return import_package(session, path, NOW, secret)


def counts(session) -> dict[str, int]:
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def snapshot(session) -> dict:
    """Every row of the reference tables, to show nothing at all was written."""
    session.expire_all()
    return {
        "units": sorted((d.code, d.name, d.kind, d.parent_id, d.active) for d in session.scalars(select(Department))),
        "categories": sorted((c.name, c.description, c.active) for c in session.scalars(select(Category))),
        "places": sorted((p.name, p.kind, p.district) for p in session.scalars(select(Place))),
        "rules": sorted((r.category_id, r.district or "", r.department_id) for r in session.scalars(select(RoutingRule))),
        "users": sorted((u.username, u.display_name, u.role, u.department_id) for u in session.scalars(select(User))),
    }


def rows_of(name: str) -> int:
    return len(read_csv(DEMO_CITY / f"{name}.csv").rows)


@pytest.fixture
def empty(app, session):
    """The app's database with nothing in it (the fixtures seed the demo city)."""
    wipe(app.extensions["hotline.engine"])
    return session


def test_import_into_an_empty_database_loads_every_kind(empty):
    report = load(empty, DEMO_CITY)
    empty.commit()
    assert counts(empty) == {"Department": rows_of("units"), "Category": rows_of("categories"),
                             "Place": rows_of("gazetteer"), "RoutingRule": rows_of("rules"), "KBEntry": 0,
                             "User": rows_of("users")}
    assert department(empty, "xfjd").parent.code == "yfq"
    assert resolve_departments(empty, ["城建"], "雁峰区")["城建"].code == "yfq"
    assert load_gazetteer(empty).extract("先锋街道解放路") == "雁峰区"
    # Every new user got a password of its own, never one from the file.
    assert sorted(u for u, _ in report.passwords) == sorted(u.username for u in empty.scalars(select(User)))
    assert empty.scalar(select(User).where(User.username == "zjj")).password_hash == "hash-zjj"


def test_a_second_import_of_the_same_files_changes_nothing(session):
    before = snapshot(session)
    report = load(session, DEMO_CITY)
    assert not report.changed
    assert report.kinds["units"].unchanged == rows_of("units")
    assert report.passwords == []
    assert snapshot(session) == before


def test_an_edited_file_updates_rows_in_place_and_reports_what_changed(session, tmp_path):
    zjj_id = department(session, "zjj").id
    package = city_package(tmp_path / "city",
                           units=lambda rows: replacing("市住房和城乡建设局", "市住建局")(rows)
                           + [["xfjd2", "雁峰区新街道办事处", "yfq", "street"]],
                           rules=replacing("sgq", "zjj"),
                           categories=replacing("入学、学校管理、培训机构", "入学、学校、校外培训"),
                           users=appending(["li", "李工", "department", "xfjd2"]))
    report = load(session, package)
    session.commit()
    assert report.kinds["units"].added == ["xfjd2"]
    assert report.kinds["units"].changed == ["zjj: name: 市住房和城乡建设局 → 市住建局"]
    assert report.kinds["rules"].changed == ["城建 × 石鼓区: unit sgq → zjj"]
    assert report.kinds["categories"].changed == ["教育: description: 入学、学校管理、培训机构 → 入学、学校、校外培训"]
    assert report.kinds["users"].added == ["li"] and report.passwords == [("li", "pw-li")]
    session.expire_all()
    assert user(session, "li").must_change_password  # the printed password is one-time
    unit = department(session, "zjj")
    assert (unit.id, unit.name) == (zjj_id, "市住建局")  # the same row: its tickets keep pointing at it
    assert resolve_departments(session, ["城建"], "石鼓区")["城建"].code == "zjj"
    assert department(session, "xfjd2").parent.code == "yfq"


def test_a_unit_left_out_is_deactivated_never_deleted(session, tmp_path):
    gas = department(session, "gas")
    ticket = make_ticket(session, NOW, department_id=gas.id)
    session.commit()
    report = load(session, city_package(tmp_path / "city", units=dropping("gas"), users=dropping("gas")))
    session.commit()
    assert report.kinds["units"].retired == ["gas"]
    session.expire_all()
    assert department(session, "gas").active is False
    assert session.get(type(ticket), ticket.id).department.code == "gas"  # history kept
    # Back in the file, it is active again; the user absent from the file was left as it was.
    report = load(session, DEMO_CITY)
    assert report.kinds["units"].changed == ["gas: active: False → True"]
    assert report.kinds["users"].added == []


def test_a_category_left_out_is_deactivated_and_its_rules_removed(session, tmp_path):
    package = city_package(tmp_path / "city", categories=dropping("金融"), rules=dropping("金融"))
    report = load(session, package)
    assert report.kinds["categories"].retired == ["金融"]
    assert report.kinds["rules"].retired == ["金融 × 全市 → jrj"]
    assert resolve_departments(session, ["金融"], None) == {}


def test_a_kind_without_a_file_is_left_alone(session, tmp_path):
    package = city_package(tmp_path / "city", gazetteer=None, rules=None, users=None, categories=None)
    report = load(session, package)
    assert list(report.files) == ["units"] and not report.changed


def test_knowledge_base_is_replaced_by_import(session, tmp_path):
    session.add(KBEntry(question="北京的旧问题？", answer="旧答案", department="首都之窗", source="MSGABench·北京 x"))
    session.commit()
    package = city_package(tmp_path / "city", knowledge=appending(
        ["问题", "答案", "承办单位", "来源"], ["衡阳公积金最高贷多少？", "以公积金中心公布为准。", "市住房公积金中心", "衡阳市知识库"]))
    report = load(session, package)
    assert report.kinds["knowledge"].added == ["衡阳公积金最高贷多少？"]
    assert report.kinds["knowledge"].retired == ["北京的旧问题？"]
    assert [e.source for e in session.scalars(select(KBEntry).where(KBEntry.active.is_(True)))] == ["衡阳市知识库"]
    assert not load(session, package).changed


def test_export_writes_what_import_reads(session, tmp_path, app):
    for file_format in ("csv", "xlsx"):
        written = export_package(session, tmp_path / file_format, file_format)
        assert {p.name for p in written} == {f"{k}.{file_format}" for k in
                                             ("units", "categories", "gazetteer", "rules", "knowledge", "users")}
        assert not load(session, tmp_path / file_format).changed
    before = snapshot(session)
    session.rollback()  # PostgreSQL's TRUNCATE would wait for this session's locks
    wipe(app.extensions["hotline.engine"])
    load(session, tmp_path / "xlsx")
    session.commit()
    after = snapshot(session)
    assert [len(v) for v in after.values()] == [len(v) for v in before.values()]
    assert after["places"] == before["places"] and after["categories"] == before["categories"]


def test_one_workbook_with_a_sheet_per_kind_and_english_headers(empty, tmp_path):
    book = Workbook()
    book.remove(book.active)
    for name, sheet_name, keys in (("units", "单位", ["code", "name", "parent", "kind"]),
                                   ("categories", "类别", ["name", "description"]),
                                   ("users", "users", ["username", "name", "role", "unit"])):
        sheet = book.create_sheet(sheet_name)
        sheet.append(keys)
        for _, line in read_csv(DEMO_CITY / f"{name}.csv").rows:
            sheet.append(line)
    book.save(tmp_path / "city.xlsx")
    report = load(empty, tmp_path / "city.xlsx")
    assert report.files == {"units": "city.xlsx [单位]", "categories": "city.xlsx [类别]", "users": "city.xlsx [users]"}
    assert len(report.kinds["users"].added) == rows_of("users")


BAD = {
    "duplicate code": (dict(units=appending(["zjj", "另一个住建局", "", "bureau"])),
                       "units.csv, row 35, column 编码: duplicate code zjj (first on row 3)"),
    "duplicate name": (dict(units=appending(["zjj2", "市住房和城乡建设局", "", "bureau"])),
                       "units.csv, row 35, column 名称: duplicate name 市住房和城乡建设局 (first on row 3)"),
    "unknown parent": (dict(units=setting("xfjd", 2, "yfq9")),
                       "units.csv, row 29, column 上级: unknown parent yfq9"),
    "cycle": (dict(units=setting("yfq", 2, "xfjd")),
              "units.csv, row 16, column 上级: cycle in the hierarchy: yfq → xfjd → yfq"),
    "own parent": (dict(units=setting("jtj", 2, "jtj")),
                   "units.csv, row 4, column 上级: a unit cannot be its own parent"),
    "bad kind": (dict(units=setting("water", 3, "company")),
                 "units.csv, row 32, column 类型: 'company' is not one of"),
    "missing column": (dict(units=lambda rows: [r[:3] for r in rows]),
                       "units.csv, row 1, column 类型: required column 类型 (kind) is missing"),
    "unknown column": (dict(units=lambda rows: [rows[0] + ["备注"]] + [r + [""] for r in rows[1:]]),
                       "units.csv, row 1, column 备注: unknown column"),
    "empty value": (dict(units=replacing("市交通运输局", "")), "units.csv, row 4, column 名称: must not be empty"),
    "too long": (dict(units=setting("jtj", 1, "局" * 101)), "units.csv, row 4, column 名称: at most 100 characters"),
    "name of a retired unit": (dict(units=setting("gas", 0, "gas2"), users=setting("gas", 3, "gas2")),
                               "units.csv, row 34, column 名称: name is held by unit gas"),
    "removed unit still routed": (dict(units=dropping("jrj"), rules=None, users=dropping("jrj")),
                                  "units.csv: unit jrj would be deactivated but the database's rule 金融"),
    "duplicate category": (dict(categories=appending(["交通", "又一个"])),
                           "categories.csv, row 15, column 名称: duplicate category 交通 (first on row 3)"),
    "street outside any district": (dict(gazetteer=appending(["新街道", "street", "新区"])),
                                    "gazetteer.csv, row 130, column 所属区县: unknown district 新区"),
    "street without district": (dict(gazetteer=appending(["新街道", "street", ""])),
                                "gazetteer.csv, row 130, column 所属区县: must not be empty for a street"),
    "duplicate place": (dict(gazetteer=appending(["先锋街道", "street", "石鼓区"])),
                        "gazetteer.csv, row 130, column 地名: duplicate place name 先锋街道"),
    "rule to a missing unit": (dict(rules=appending(["交通", "雁峰区", "nope"])),
                               "rules.csv, row 28, column 承办单位: unknown unit nope"),
    "rule for an unknown category": (dict(rules=appending(["外星人", "", "zjj"])),
                                     "rules.csv, row 28, column 类别: unknown category 外星人"),
    "rule for an unknown district": (dict(rules=appending(["交通", "朝阳区", "jtj"])),
                                     "rules.csv, row 28, column 区县: unknown district 朝阳区"),
    "duplicate rule": (dict(rules=appending(["城建", "雁峰区", "zjj"])),
                       "rules.csv, row 28, column 区县: duplicate rule for 城建 in 雁峰区 (first on row 3)"),
    "exchanged question and answer": (dict(knowledge=appending(["问题", "答案", "承办单位", "来源"],
                                                               ["属于本次确权登记发证范围，已收归国有的按国有土地登记。",
                                                                "是不是确权登记范围？", "规划自然资源委", ""])),
                                      "knowledge.csv, row 2, column 问题: the question reads like an answer"),
    "empty answer": (dict(knowledge=appending(["question", "answer", "unit"], ["怎么办证？", "", "政务服务局"])),
                     "knowledge.csv, row 2, column answer: must not be empty"),
    "department user without unit": (dict(users=appending(["li", "李工", "department", ""])),
                                      "users.csv, row 38, column 单位: a department user needs a unit code"),
    "user of a missing unit": (dict(users=appending(["li", "李工", "department", "nope"])),
                               "users.csv, row 38, column 单位: unknown unit nope"),
    "bad role": (dict(users=appending(["li", "李工", "boss", ""])), "users.csv, row 38, column 角色: 'boss' is not one"),
    "duplicate username": (dict(users=appending(["zjj", "又一个", "department", "zjj"])),
                           "users.csv, row 38, column 用户名: duplicate username zjj (first on row 6)"),
    "operator with a unit": (dict(users=appending(["li", "李工", "operator", "zjj"])),
                             "users.csv, row 38, column 单位: only department users belong to a unit"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_names_file_row_and_column_and_writes_nothing(session, tmp_path, case):
    edits, expected = BAD[case]
    # A valid edit in the same package must not be written either: nothing is half-imported.
    edits = {"categories": replacing("道路交通、公交、出租车、停车", "交通（改）"), **edits}
    package = city_package(tmp_path / "city", **edits)
    before = snapshot(session)
    with pytest.raises(PackageInvalid) as error:
        load(session, package)
    session.rollback()
    messages = [str(p) for p in error.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
    assert len(messages) == 1, messages  # one mistake, one message
    assert snapshot(session) == before


def test_a_file_that_is_not_utf8_is_named(session, tmp_path):
    package = city_package(tmp_path / "city")
    (package / "categories.csv").write_bytes("名称,说明\n城建,住房\n".encode("gbk"))
    with pytest.raises(PackageInvalid) as error:
        load(session, package)
    assert [str(p) for p in error.value.problems][0].startswith("categories.csv: not UTF-8 text")


def test_every_problem_is_reported_at_once(session, tmp_path):
    package = city_package(tmp_path / "city", units=appending(["zjj", "x", "", "bureau"], ["a1", "y", "zz", "xx"]),
                           rules=appending(["交通", "", "nope"]))
    with pytest.raises(PackageInvalid) as error:
        load(session, package)
    assert len(error.value.problems) == 4  # duplicate, unknown parent, bad kind, rule to a missing unit


def test_two_units_may_swap_names_in_one_import(session, tmp_path):
    swap = {"市交通运输局": "市教育局", "市教育局": "市交通运输局"}
    package = city_package(tmp_path / "city", units=lambda rows: [[swap.get(c, c) for c in r] for r in rows])
    report = load(session, package)
    session.commit()
    assert sorted(report.kinds["units"].changed) == ["jtj: name: 市交通运输局 → 市教育局", "jyj: name: 市教育局 → 市交通运输局"]
    session.expire_all()
    assert (department(session, "jtj").name, department(session, "jyj").name) == ("市教育局", "市交通运输局")
