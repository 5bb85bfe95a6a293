"""Learning from history: returns and reassignments correct a category the bundled data gets wrong."""
import csv
import json
import random
import shutil
from collections import Counter

import pytest

from tests.conftest import BUNDLED_CSV, stratified_sample

PLACES = ["雁峰区先锋街道", "石鼓区人民路街道", "珠晖区东风路街道", "蒸湘区红湘街道", "高新区华新街道"]
TEMPLATES = [
    "{p}某小区有住户把电动自行车推进楼道{v}，晚上{t}，存在严重火灾隐患，请尽快处理",
    "{p}小区居民私拉电线{v}电动车，{t}，非常危险，希望有关部门管一管",
    "反映{p}一栋楼的电瓶车在楼梯间{v}，{t}，物业劝阻无效",
    "{p}的电动车{v}问题严重，{t}，担心引发火灾",
]
VERBS = ["飞线充电", "私接电线充电", "违规充电", "入户充电"]
TIMES = ["整夜不断电", "电线从窗户吊下来", "插线板就放在楼道里", "已经冒过烟"]


def topic_texts(n: int, seed: int) -> list[str]:
    """Varied appeals about one matter: e-bikes charged in stairwells (a fire risk)."""
    rng = random.Random(seed)
    return [rng.choice(TEMPLATES).format(p=rng.choice(PLACES), v=rng.choice(VERBS), t=rng.choice(TIMES))
            for _ in range(n)]


@pytest.fixture
def small_training_csv(tmp_path):
    """The stratified sample the test model was trained on, as a CSV (retraining reads a CSV)."""
    texts, labels = stratified_sample(BUNDLED_CSV, per_label=100)
    path = tmp_path / "train.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        writer.writerows((i, t, y) for i, (t, y) in enumerate(zip(texts, labels)))
    return path


@pytest.fixture
def private_models(app_config, model_dir, small_training_csv, tmp_path):
    """A copy of the test model folder, so a retrained model does not leak into other tests."""
    copy = tmp_path / "models"
    shutil.copytree(model_dir, copy)
    # 50 tickets hold back 10: enough for a challenger that is right where the champion is always wrong.
    app_config.update(MODEL_DIR=str(copy), TRAIN_DATA=str(small_training_csv), RETRAIN_MIN_HOLDOUT=10)
    return copy


def test_retrain_learns_the_corrections_and_promotes(private_models, app, api, runner):
    engine = app.extensions["hotline.routing"]
    champion = engine.router
    texts = topic_texts(50, seed=1)
    usual = Counter(p[0].label for p in champion.predict_many(texts, k=1)).most_common(1)[0][0]
    right = "治安" if usual != "治安" else "环保"  # the city decides this matter belongs elsewhere
    unit = {"治安": "gaj", "环保": "sthjj"}[right]
    wrong_unit = {"城建": "zjj", "交通": "jtj", "环保": "sthjj", "治安": "gaj"}.get(usual, "zjj")
    if wrong_unit == unit:
        wrong_unit = "zjj"

    for text in texts:
        number = api.post("/tickets", "operator", {"content": text, "caller_phone": "13812345678",
                                                  "appeal_type": "complaint"}).json["number"]
        api.post(f"/tickets/{number}/assign", "dispatcher", {"department": wrong_unit, "category": usual})
        assert api.post(f"/tickets/{number}/return", wrong_unit, {"reason": "不属于我单位职责"}).status_code == 200
        api.post(f"/tickets/{number}/assign", "dispatcher", {"department": unit, "category": right})
        api.post(f"/tickets/{number}/sign", unit)
        api.post(f"/tickets/{number}/reply", unit, {"reply": "已清理楼道电动车并查处"})
        closed = api.post(f"/tickets/{number}/callback", "supervisor",
                          {"reached": True, "solved": True, "satisfaction": "satisfied"}).json
        assert closed["status"] == "closed" and closed["category"] == right

    result = runner.invoke(args=["hotline", "retrain"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    assert report["promoted"] is True
    assert report["champion_accuracy"] < report["challenger_accuracy"]
    assert engine.router.version == report["challenger"]

    fresh = topic_texts(20, seed=2)
    routed = [api.post("/route", "operator", {"content": t}).json["candidates"][0]["category"] for t in fresh]
    assert Counter(routed)[right] >= 18, (usual, routed)
    models = api.get("/models", "admin").json
    assert models["active"] == report["challenger"]
    assert {m["version"] for m in models["models"]} >= {report["challenger"], champion.version}
    decision = models["decisions"][0]
    assert (decision["outcome"], decision["champion"], decision["challenger"]) == (
        "promoted", champion.version, report["challenger"])
    assert decision["holdout"] == 10 and decision["challenger_scores"]["accuracy"] == report["challenger_accuracy"]
    assert decision["criteria"][0]["criterion"] == "accuracy" and decision["criteria"][0]["passed"]


def test_retrain_refuses_without_enough_history(private_models, runner):
    result = runner.invoke(args=["hotline", "retrain"])
    assert result.exit_code != 0
    assert "closed tickets" in result.output


def test_admin_activates_a_version_and_bad_versions_are_refused(api):
    models = api.get("/models", "admin").json
    current = models["active"]
    assert current and models["models"][0]["metrics"]
    assert api.post("/models/nope/activate", "admin").status_code == 404
    assert api.post(f"/models/{current}/activate", "operator").status_code == 403
    response = api.post(f"/models/{current}/activate", "admin")
    assert response.status_code == 200 and response.json["active"] is True


def test_a_broken_version_is_refused_and_the_model_in_service_stays(private_models, app, api):
    engine = app.extensions["hotline.routing"]
    before = engine.router.version
    broken = private_models / "29990101T000000-deadbeef-0000"
    broken.mkdir()
    (broken / "metadata.json").write_text("{}", encoding="utf-8")
    response = api.post(f"/models/{broken.name}/activate", "admin")
    assert response.status_code == 400
    assert response.json["field"] == "version"
    assert engine.router.version == before
    assert api.post("/route", "operator", {"content": "公交车太挤"}).json["candidates"]


def test_a_return_or_reassignment_rules_out_the_category_it_came_from():
    from hotline.services.retrain import ruled_out
    from models import EventAction as A

    routed = (A.ROUTED, {"category": "城建", "department": "zjj"})
    returned = (A.RETURNED, {"department": "zjj"})
    assigned = (A.ASSIGNED, {"category": "交通", "department": "jtj"})
    assert ruled_out([routed, returned, assigned], "交通") == {"城建"}
    assert ruled_out([routed, (A.ASSIGNED, {"category": "交通"})], "交通") == {"城建"}  # reassigned, no return
    # Sent back and given to another district's unit under the same category: the unit was wrong, not the text's category.
    assert ruled_out([routed, returned, (A.ASSIGNED, {"category": "城建", "department": "zjj2"})], "城建") == set()
    assert ruled_out([routed], "城建") == set()


def test_recent_and_corrected_tickets_weigh_more():
    from datetime import UTC, datetime, timedelta

    from hotline.services.learning_rules import LearningRules
    from hotline.services.retrain import Example

    now = datetime(2026, 12, 1, tzinfo=UTC)
    rules = LearningRules(half_life_days=90, history_weight=3.0, correction_weight=2.0)
    assert Example("t", "城建", now).weight(now, rules) == 3.0
    assert Example("t", "城建", now - timedelta(days=90)).weight(now, rules) == 1.5
    assert Example("t", "城建", now - timedelta(days=180)).weight(now, rules) == 0.75
    assert Example("t", "交通", now - timedelta(days=90), frozenset({"城建"})).weight(now, rules) == 3.0


def test_too_few_recent_tickets_to_judge_skips_the_retrain_and_records_why(private_models, app, api, runner, session):
    from sqlalchemy import select

    from models import RetrainDecision

    for text in topic_texts(35, seed=3):
        number = api.post("/tickets", "operator", {"content": text, "caller_phone": "13812345678",
                                                  "appeal_type": "complaint"}).json["number"]
        api.post(f"/tickets/{number}/assign", "dispatcher", {"department": "gaj", "category": "治安"})
        api.post(f"/tickets/{number}/sign", "gaj")
        api.post(f"/tickets/{number}/reply", "gaj", {"reply": "已处理"})
        api.post(f"/tickets/{number}/callback", "supervisor", {"reached": True, "solved": True,
                                                               "satisfaction": "satisfied"})
    app.config["RETRAIN_MIN_HOLDOUT"] = 200
    before = sorted(p.name for p in private_models.iterdir())
    result = runner.invoke(args=["hotline", "retrain"])
    assert result.exit_code != 0 and "at least 200 needed" in result.output
    assert sorted(p.name for p in private_models.iterdir()) == before  # nothing was trained
    session.expire_all()
    decision = session.scalar(select(RetrainDecision))
    assert (decision.outcome.value, decision.reason, decision.history) == ("skipped", "retrain_not_enough_holdout", 35)
    assert decision.scores["note"] == {"code": "retrain_not_enough_holdout", "params": {"count": 5, "minimum": 200}}
    page = api.get("/models", "admin").json
    assert page["decisions"][0]["outcome"] == "skipped"


def test_a_challenger_kept_back_for_its_own_threshold_says_so():
    from hotline.services.promotion import GateResult
    from hotline.services.retrain import _why

    failed = {"criterion": "auto_dispatch", "champion": 0.4, "challenger": 0.0, "margin": 0.02,
              "champion_precision": 0.95, "champion_threshold": 0.85, "challenger_threshold": 1.0, "passed": False}
    why = _why(GateResult(False, "auto_dispatch", {}, {}, [failed]), "v1", 200)
    assert why.code == "retrain_worse_auto_dispatch"
    assert why.text == ("kept v1: at its own threshold 1.000 the challenger would auto-dispatch 0.000 of the "
                        "held-back tickets against 0.400")
