"""The fast TF-IDF path gives exactly what the fitted vectorizer gives."""
import numpy as np

from classifier.fastpath import tfidf_transform
from classifier.features import char_vectorizer, word_vectorizer

TRAIN = ["小区楼道墙皮脱落物业不维修", "公交车站台太远出行不便", "学校门口交通拥堵接送孩子困难",
         "楼道墙皮脱落存在安全隐患", "公交线路调整后出行不便", "孩子入学报名材料咨询"]


def test_matches_the_vectorizer_including_empty_and_unknown_texts():
    texts = ["楼道墙皮又脱落了，公交也不便", "", "完全陌生的词语组合☆", "物业物业物业不维修"]
    for vectorizer in (word_vectorizer(min_df=1), char_vectorizer(min_df=1)):
        vectorizer.fit(TRAIN)
        expected = vectorizer.transform(texts).toarray()
        got = tfidf_transform(vectorizer, texts).toarray()
        assert np.allclose(got, expected)
        assert np.allclose(np.linalg.norm(got[0]), 1.0)
        assert not got[1].any()


def test_keeps_the_vectorizer_dtype():
    vectorizer = char_vectorizer(min_df=1).fit(TRAIN)
    assert tfidf_transform(vectorizer, ["楼道墙皮"]).dtype == vectorizer.transform(["楼道墙皮"]).dtype
