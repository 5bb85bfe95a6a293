"""The demo city (衡阳市): units, catalogue, routing rules and one user per role. Idempotent."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Category, Department, DepartmentKind, Role, RoutingRule, User

DEMO_PASSWORD = "demo12345"

K = DepartmentKind
# (code, name, kind, parent code)
DEPARTMENTS: list[tuple[str, str, DepartmentKind, str | None]] = [
    ("hotline", "衡阳市12345政务服务便民热线中心", K.CENTRE, None),
    ("zjj", "市住房和城乡建设局", K.BUREAU, None),
    ("jtj", "市交通运输局", K.BUREAU, None),
    ("jyj", "市教育局", K.BUREAU, None),
    ("spj", "市行政审批服务局", K.BUREAU, None),
    ("gxj", "市工业和信息化局", K.BUREAU, None),
    ("gaj", "市公安局", K.BUREAU, None),
    ("sthjj", "市生态环境局", K.BUREAU, None),
    ("rsj", "市人力资源和社会保障局", K.BUREAU, None),
    ("wjw", "市卫生健康委员会", K.BUREAU, None),
    ("nyncj", "市农业农村局", K.BUREAU, None),
    ("wlj", "市文化旅游广电体育局", K.BUREAU, None),
    ("jrj", "市地方金融监督管理局", K.BUREAU, None),
    ("cgj", "市城市管理和综合执法局", K.BUREAU, None),
    ("yfq", "雁峰区人民政府", K.DISTRICT, None),
    ("sgq", "石鼓区人民政府", K.DISTRICT, None),
    ("zhq", "珠晖区人民政府", K.DISTRICT, None),
    ("zxq", "蒸湘区人民政府", K.DISTRICT, None),
    ("nyq", "南岳区人民政府", K.DISTRICT, None),
    ("gxq", "衡阳高新区管委会", K.DISTRICT, None),
    ("hyx", "衡阳县人民政府", K.DISTRICT, None),
    ("hnx", "衡南县人民政府", K.DISTRICT, None),
    ("hsx", "衡山县人民政府", K.DISTRICT, None),
    ("hdx", "衡东县人民政府", K.DISTRICT, None),
    ("qdx", "祁东县人民政府", K.DISTRICT, None),
    ("lys", "耒阳市人民政府", K.DISTRICT, None),
    ("cns", "常宁市人民政府", K.DISTRICT, None),
    ("xfjd", "雁峰区先锋街道办事处", K.STREET, "yfq"),
    ("tmsjd", "雁峰区天马山街道办事处", K.STREET, "yfq"),
    ("rmljd", "石鼓区人民路街道办事处", K.STREET, "sgq"),
    ("water", "衡阳市自来水有限责任公司", K.UTILITY, None),
    ("power", "国网衡阳供电公司", K.UTILITY, None),
    ("gas", "衡阳市燃气有限公司", K.UTILITY, None),
]

# The bundled data's labels with at least 20 rows, verbatim, and the unit that answers for each city-wide.
CATEGORIES: dict[str, tuple[str, str]] = {
    "城建": ("住房、物业、拆迁、规划、市政设施", "zjj"),
    "交通": ("道路交通、公交、出租车、停车", "jtj"),
    "教育": ("入学、学校管理、培训机构", "jyj"),
    "政务": ("政务服务、办事流程、证照", "spj"),
    "企业": ("企业经营、营商环境、涉企诉求", "gxj"),
    "治安": ("社会治安、噪音扰民、消防隐患", "gaj"),
    "环保": ("污染、噪声、生态环境", "sthjj"),
    "就业": ("就业、社保、劳动关系、欠薪", "rsj"),
    "医疗": ("医院、医保、公共卫生", "wjw"),
    "三农": ("农业、农村、农民", "nyncj"),
    "文娱": ("文化、体育、娱乐场所", "wlj"),
    "旅游": ("景区、旅行社、导游", "wlj"),
    "金融": ("银行、保险、非法集资", "jrj"),
}

# 属地管理: city-building matters in a district go to that district's government.
DISTRICT_UNITS = {
    "雁峰区": "yfq", "石鼓区": "sgq", "珠晖区": "zhq", "蒸湘区": "zxq", "南岳区": "nyq", "高新区": "gxq",
    "衡阳县": "hyx", "衡南县": "hnx", "衡山县": "hsx", "衡东县": "hdx", "祁东县": "qdx", "耒阳市": "lys",
    "常宁市": "cns",
}
LOCAL_CATEGORIES = ("城建",)

STAFF_USERS = [
    ("operator", "话务员小李", Role.OPERATOR),
    ("dispatcher", "派单员小王", Role.DISPATCHER),
    ("supervisor", "回访督办小张", Role.SUPERVISOR),
    ("admin", "系统管理员", Role.ADMIN),
]


def seed_demo(session: Session, password_hash: str) -> dict[str, int]:
    """Create whatever of the demo city is missing; returns how many rows of each kind were added."""
    added = {"departments": 0, "categories": 0, "rules": 0, "users": 0}
    departments = {d.code: d for d in session.scalars(select(Department))}
    for code, name, kind, parent in DEPARTMENTS:
        if code not in departments:
            departments[code] = Department(code=code, name=name, kind=kind, parent=departments.get(parent))
            session.add(departments[code])
            added["departments"] += 1
    categories = {c.name: c for c in session.scalars(select(Category))}
    for name, (description, _) in CATEGORIES.items():
        if name not in categories:
            categories[name] = Category(name=name, description=description)
            session.add(categories[name])
            added["categories"] += 1
    session.flush()
    existing_rules = {tuple(row) for row in session.execute(select(RoutingRule.category_id, RoutingRule.district))}
    wanted = [(name, None, code) for name, (_, code) in CATEGORIES.items()]
    wanted += [(name, district, code) for name in LOCAL_CATEGORIES for district, code in DISTRICT_UNITS.items()]
    for name, district, code in wanted:
        if (categories[name].id, district) not in existing_rules:
            session.add(RoutingRule(category=categories[name], district=district, department=departments[code]))
            added["rules"] += 1
    usernames = set(session.scalars(select(User.username)))
    users = [(u, n, r, None) for u, n, r in STAFF_USERS]
    users += [(code, name, Role.DEPARTMENT, departments[code]) for code, name, kind, _ in DEPARTMENTS
              if kind != K.CENTRE]
    for username, display_name, role, department in users:
        if username not in usernames:
            session.add(User(username=username, display_name=display_name, role=role,
                             department=department, password_hash=password_hash))
            added["users"] += 1
    session.flush()
    return added
