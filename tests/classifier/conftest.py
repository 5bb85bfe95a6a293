"""Fixtures for the classifier tests: tiny synthetic corpora and one small model per run."""

import random

import pytest

TOPICS = {
    "交通": ["地铁", "公交车", "红绿灯", "停车位", "高速公路", "出租车", "拥堵", "斑马线"],
    "教育": ["幼儿园", "学校", "老师", "入学", "中考", "课外班", "学籍", "学生"],
    "医疗": ["医院", "医生", "挂号", "医保卡", "疫苗接种", "药品", "门诊", "护士"],
}
FILLERS = ["我家附近", "请问", "希望领导关注", "****区", "最近", "一直", "非常不方便", "谢谢"]


def make_corpus(per_label: int = 40, seed: int = 0, topics=TOPICS):
    """Return (texts, labels): short messages built from each topic's words plus shared filler."""
    rng = random.Random(seed)
    texts, labels = [], []
    for label, words in topics.items():
        for _ in range(per_label):
            parts = rng.sample(words, 3) + rng.sample(FILLERS, 3)
            rng.shuffle(parts)
            texts.append("，".join(parts) + "。")
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="session")
def corpus():
    """A small three-label corpus."""
    return make_corpus()


@pytest.fixture(scope="session")
def trained(corpus):
    """A TrainedModel fitted once on the synthetic corpus."""
    from classifier import train

    texts, labels = corpus
    return train(texts, labels, target_precision=0.9, min_class_count=5)


@pytest.fixture(scope="session")
def saved_dir(trained, tmp_path_factory):
    """A directory holding the saved synthetic model."""
    out = tmp_path_factory.mktemp("model")
    trained.save(out)
    return out
