"""Serving: predictions, persistence and load-time checks."""

import dataclasses
import json
import math

import joblib
import pytest

from classifier import Candidate, ModelError, Router


@pytest.fixture(scope="module")
def router(saved_dir):
    """The synthetic model, loaded from disk."""
    return Router.load(saved_dir)


def test_predicts_the_obvious_label(router):
    """A message full of one topic's words gets that topic first."""
    top = router.predict("地铁站旁边的红绿灯坏了，公交车拥堵", k=1)
    assert [c.label for c in top] == ["交通"]


def test_candidates_are_sorted_probabilities(router):
    """Candidates are sorted desc, probabilities in [0, 1] summing to 1 over all labels."""
    cands = router.predict("医院挂号难，医生太少", k=3)
    assert len(cands) == 3 and all(isinstance(c, Candidate) for c in cands)
    probs = [c.probability for c in cands]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs) and math.isclose(sum(probs), 1.0, rel_tol=1e-6)
    assert all(type(c.label) is str and type(c.probability) is float for c in cands)


def test_candidate_is_frozen():
    """Candidate is an immutable value."""
    cand = Candidate("交通", 0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cand.label = "教育"


def test_k_is_capped_by_the_number_of_labels(router):
    """Asking for more candidates than labels returns every label once."""
    assert sorted(c.label for c in router.predict("学校", k=10)) == router.labels


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "*****"])
def test_blank_text_gives_no_candidates(router, text):
    """Empty, whitespace-only and fully masked texts give []."""
    assert router.predict(text) == []


def test_long_text_works(router):
    """A 5,000-character message is accepted."""
    assert router.predict(("幼儿园老师" * 1000)[:5000])[0].label == "教育"


def test_predict_many_matches_predict_and_keeps_blanks_in_place(router):
    """Batch results line up with the inputs, blanks included."""
    texts = ["医院门诊", "", "中考入学"]
    batch = router.predict_many(texts, k=2)
    assert batch[1] == []
    for i in (0, 2):
        single = router.predict(texts[i], k=2)
        # Batched BLAS sums may differ in the last bits, so compare probabilities approximately.
        assert [c.label for c in batch[i]] == [c.label for c in single]
        assert [c.probability for c in batch[i]] == pytest.approx([c.probability for c in single], abs=1e-9)
    assert router.predict_many([]) == []
    with pytest.raises(TypeError):
        router.predict_many("医院")


def test_properties_come_from_metadata(router, trained):
    """version, labels, threshold and metadata describe the loaded model."""
    assert router.version == trained.metadata["version"]
    assert router.labels == ["交通", "医疗", "教育"]
    assert router.threshold == trained.metadata["threshold"]
    assert router.metadata["model_sha256"]


def test_unsaved_router_predicts_like_the_loaded_one(trained, router):
    """TrainedModel.router() serves the same model without touching disk."""
    text = "停车位太少，出租车乱停"
    assert trained.router().predict(text) == router.predict(text)
    assert trained.router().version == router.version


def test_saved_files_and_metadata(saved_dir):
    """save() writes model.joblib and readable metadata.json."""
    assert sorted(p.name for p in saved_dir.iterdir()) == ["metadata.json", "model.joblib"]
    meta = json.loads((saved_dir / "metadata.json").read_text(encoding="utf-8"))
    assert meta["format_version"] == 1 and len(meta["model_sha256"]) == 64


def copy_model(src, dst):
    """Copy a saved model directory and return the copy's path."""
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def edit_metadata(folder, **changes):
    """Rewrite metadata.json with some keys changed."""
    path = folder / "metadata.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_load_errors_say_why(saved_dir, tmp_path):
    """Each way a model directory can be broken raises ModelError with a reason."""
    with pytest.raises(ModelError, match="does not exist"):
        Router.load(tmp_path / "missing")
    no_meta = copy_model(saved_dir, tmp_path / "no_meta")
    (no_meta / "metadata.json").unlink()
    with pytest.raises(ModelError, match="metadata.json is missing"):
        Router.load(no_meta)
    no_model = copy_model(saved_dir, tmp_path / "no_model")
    (no_model / "model.joblib").unlink()
    with pytest.raises(ModelError, match="model.joblib is missing"):
        Router.load(no_model)
    bad_json = copy_model(saved_dir, tmp_path / "bad_json")
    (bad_json / "metadata.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt"):
        Router.load(bad_json)
    truncated = copy_model(saved_dir, tmp_path / "truncated")
    data = (truncated / "model.joblib").read_bytes()
    (truncated / "model.joblib").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="checksum"):
        Router.load(truncated)


def test_unloadable_pickle_is_a_model_error(saved_dir, tmp_path):
    """A file that matches its checksum but is not a model still fails cleanly."""
    from classifier.registry import file_sha256

    folder = copy_model(saved_dir, tmp_path / "junk")
    (folder / "model.joblib").write_bytes(b"not a pickle at all")
    edit_metadata(folder, model_sha256=file_sha256(folder / "model.joblib"))
    with pytest.raises(ModelError, match="cannot be loaded"):
        Router.load(folder)
    joblib.dump({"not": "a model"}, folder / "model.joblib")
    edit_metadata(folder, model_sha256=file_sha256(folder / "model.joblib"))
    with pytest.raises(ModelError, match="does not match the labels"):
        Router.load(folder)


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"format_version": 99}, "format_version 99 is not supported"),
        ({"versions": {"sklearn": "0.24.2"}}, "scikit-learn 0.24.2"),
        ({"threshold": None, "labels": None, "version": None}, None),
    ],
)
def test_incompatible_metadata_is_refused(saved_dir, tmp_path, changes, message):
    """A format or major scikit-learn mismatch raises ModelError; so do missing keys."""
    folder = copy_model(saved_dir, tmp_path / "m")
    if message is None:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        del meta["threshold"]
        (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
        message = "lacks threshold"
    else:
        edit_metadata(folder, **changes)
    with pytest.raises(ModelError, match=message):
        Router.load(folder)


def test_saving_over_an_existing_model_replaces_it(trained, corpus, tmp_path):
    """A second save into the same directory leaves a consistent, loadable pair."""
    from classifier import train

    trained.save(tmp_path)
    texts, labels = corpus
    other = train(texts[:20] + texts[40:60], labels[:20] + labels[40:60], min_class_count=5)
    other.save(tmp_path)
    assert Router.load(tmp_path).version == other.metadata["version"]


def test_metadata_edits_before_saving_are_kept(corpus, tmp_path):
    """Callers may annotate metadata (e.g. its source) before saving."""
    from classifier import train

    texts, labels = corpus
    model = train(texts[:20] + texts[40:60], labels[:20] + labels[40:60], min_class_count=5)
    model.metadata["source"] = "retrain"
    model.save(tmp_path)
    assert Router.load(tmp_path).metadata["source"] == "retrain"
