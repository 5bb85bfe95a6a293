"""Training: validation, threshold selection and metadata."""

import json
import re

import numpy as np
import pytest
import sklearn

from classifier import DataError, TrainedModel, train

from .conftest import make_corpus


def test_metadata_records_what_the_service_needs(trained, corpus):
    """Metadata holds version, labels, threshold, metrics, data hash, versions and params."""
    meta = trained.metadata
    assert re.fullmatch(r"\d{8}T\d{6}-[0-9a-f]{8}-[0-9a-f]{4}", meta["version"])
    assert meta["version"].split("-")[1] == meta["data_sha256"][:8]
    assert meta["labels"] == ["交通", "医疗", "教育"]
    assert 0.0 <= meta["threshold"] <= 1.0 and meta["target_precision"] == 0.9
    assert meta["precision"] >= 0.9 and 0 < meta["coverage"] <= 1
    held = meta["held_out"]
    assert held["accuracy"] > 0.9 and held["macro_f1"] > 0.9 and held["top3"] == 1.0
    assert meta["n_train"] == len(corpus[0])
    assert set(meta["versions"]) >= {"python", "sklearn", "jieba", "numpy"}
    assert meta["versions"]["sklearn"] == sklearn.__version__
    assert meta["created_at"].endswith("+00:00")
    assert meta["params"]["min_class_count"] == 5
    json.dumps(meta)  # JSON-serialisable as is


def test_versions_are_unique_for_identical_training(corpus):
    """Two models trained from the same data in the same second still differ in version."""
    texts, labels = corpus
    small = (texts[:20] + texts[40:60], labels[:20] + labels[40:60])
    first = train(*small, min_class_count=5).metadata["version"]
    second = train(*small, min_class_count=5).metadata["version"]
    assert first != second and first.split("-")[1] == second.split("-")[1]


def test_rare_labels_are_dropped_and_listed(corpus):
    """Labels under min_class_count are left out of the model and recorded."""
    texts, labels = corpus
    model = train(texts + ["海关查验进口水果"] * 3, labels + ["海关总署"] * 3, min_class_count=5)
    assert "海关总署" not in model.metadata["labels"]
    assert model.metadata["dropped_labels"] == {"海关总署": 3}
    assert model.metadata["n_rows"] == len(texts) + 3


def test_threshold_meets_target_on_held_out_predictions(trained):
    """The recorded precision at the chosen threshold reaches the target."""
    meta = trained.metadata
    assert meta["precision"] >= meta["target_precision"]
    assert meta["held_out"]["coverage_at_precision"]["0.90"]["coverage"] >= meta["coverage"] - 1e-9


@pytest.mark.parametrize(
    "texts,labels,message",
    [
        (["a", "b"], ["x"], "2 texts but 1 labels"),
        ([], [], "no training data"),
        (["地铁", "  "], ["x", "y"], r"empty text at index\(es\) 1"),
        (["地铁", "学校"], ["x", "x"], "only one label"),
    ],
)
def test_bad_input_raises_data_error(texts, labels, message):
    """Invalid training data raises DataError naming the problem."""
    with pytest.raises(DataError, match=message):
        train(texts, labels)


def test_too_few_rows_per_label_is_a_data_error():
    """With the default minimum, a handful of rows per label is not enough."""
    texts, labels = make_corpus(per_label=4)
    with pytest.raises(DataError, match="at least 10 rows"):
        train(texts, labels)


@pytest.mark.parametrize("kwargs,message", [({"target_precision": 1.5}, "target_precision"),
                                            ({"min_class_count": 1}, "min_class_count")])
def test_bad_parameters_raise_data_error(corpus, kwargs, message):
    """Out-of-range parameters are rejected before any work."""
    with pytest.raises(DataError, match=message):
        train(*corpus, **kwargs)


def test_progress_bar_goes_to_stderr(corpus, capsys):
    """progress=True draws a tqdm bar on stderr and prints nothing on stdout."""
    texts, labels = corpus
    train(texts[:20] + texts[40:60], labels[:20] + labels[40:60], min_class_count=5, progress=True)
    out, err = capsys.readouterr()
    assert out == "" and "training" in err


def test_unreachable_precision_dispatches_nothing():
    """With random labels no threshold reaches 99 %, so nothing is auto-dispatched."""
    texts, labels = make_corpus(per_label=30)
    rng = np.random.default_rng(0)
    shuffled = list(rng.permutation(labels))
    model = train(texts, shuffled, target_precision=0.99, min_class_count=5)
    assert isinstance(model, TrainedModel)
    assert model.metadata["coverage"] == 0.0 and model.metadata["precision"] is None
    assert model.router().threshold > 1.0


def test_two_labels_work():
    """The binary case (1-D decision scores) trains and predicts."""
    texts, labels = make_corpus(per_label=15)
    keep = [i for i, y in enumerate(labels) if y != "医疗"]
    model = train([texts[i] for i in keep], [labels[i] for i in keep], min_class_count=5)
    cands = model.router().predict("学校老师", k=5)
    assert [c.label for c in cands] == ["教育", "交通"]


def test_sample_weights_decide_between_contradicting_labels():
    """The same matter labelled two ways: the heavier rows win (recent tickets outweigh old ones)."""
    from classifier import train
    from tests.classifier.conftest import make_corpus

    texts, labels = make_corpus(per_label=30, seed=3)
    matter = ["小区电梯坏了一周没人修，请尽快处理", "电梯故障困人，物业不管", "楼里电梯经常停运，请督促维修"] * 8
    old = ["交通"] * len(matter)
    new = ["医疗"] * len(matter)
    all_texts, all_labels = texts + matter + matter, labels + old + new
    weights = [1.0] * len(texts) + [0.05] * len(matter) + [1.0] * len(matter)
    model = train(all_texts, all_labels, sample_weight=weights, min_class_count=5)
    assert model.router().predict("电梯坏了没人修")[0].label == "医疗"
    flipped = [1.0] * len(texts) + [1.0] * len(matter) + [0.05] * len(matter)
    assert train(all_texts, all_labels, sample_weight=flipped, min_class_count=5).router() \
        .predict("电梯坏了没人修")[0].label == "交通"


@pytest.mark.parametrize("weights", [[1.0], [-1.0] * 120, [0.0] * 120, [float("nan")] * 120])
def test_bad_sample_weights_are_refused(corpus, weights):
    from classifier import DataError, train

    texts, labels = corpus
    with pytest.raises(DataError, match="sample_weight"):
        train(texts, labels, sample_weight=weights, min_class_count=5)
