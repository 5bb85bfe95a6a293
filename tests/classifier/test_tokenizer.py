"""The tokenizer: user dictionary, masks, picklability."""

import pickle

from classifier import tokenize
from classifier.text import normalize


def test_user_dictionary_keeps_place_names_whole():
    """Hengyang district names from the user dictionary come out as single tokens."""
    tokens = tokenize("衡阳市雁峰区和珠晖区的公积金贷款问题")
    assert {"衡阳市", "雁峰区", "珠晖区", "公积金贷款"} <= set(tokens)


def test_masks_and_punctuation_are_dropped():
    """Masking runs and punctuation never become tokens."""
    tokens = tokenize("我是*****区****号楼的住户，请问！")
    assert not any("*" in t for t in tokens)
    assert "，" not in tokens and "！" not in tokens
    assert "住户" in tokens


def test_empty_and_blank_text_give_no_tokens():
    """Empty, whitespace-only and mask-only texts tokenise to an empty list."""
    assert tokenize("") == []
    assert tokenize("   \n\t") == []
    assert tokenize("*****") == []


def test_tokenize_returns_a_fresh_list_each_call():
    """Callers may mutate the result without corrupting the cache."""
    first = tokenize("地铁站拥堵")
    first.append("x")
    assert "x" not in tokenize("地铁站拥堵")


def test_tokenize_is_picklable_by_reference():
    """A module-level function pickles, so vectorizers using it can be saved."""
    assert pickle.loads(pickle.dumps(tokenize)) is tokenize


def test_normalize_folds_width_and_case():
    """Full-width letters and digits are folded so variants share features."""
    assert normalize("ＥＴＣ １２３４５  路") == "etc 12345 路"


def test_very_long_text_is_truncated_not_rejected():
    """A 5,000-character text tokenises (bounded work)."""
    tokens = tokenize("地铁" * 2500)
    assert 0 < len(tokens) <= 2000


def test_pre_segmented_text_gives_the_tokens_of_the_raw_text():
    """A city's export cut into space-separated words (stop words gone) reads like the raw message."""
    raw = "我家小区的物业一直不管电梯故障，请尽快处理"
    cut = "我家 小区 物业 不管 电梯 故障 ， 尽快 处理"
    assert tokenize(cut) == tokenize(raw)
    assert normalize("小区 物业 ， 电梯") == "小区物业,电梯"


def test_spaces_between_latin_words_and_digits_stay():
    assert normalize("bus line 5 很慢") == "bus line 5 很慢"
    assert normalize("我是*****区 的") == "我是 区的"  # a mask still separates words


def test_stop_words_are_not_tokens():
    assert "的" not in tokenize("小区的电梯") and "请问" not in tokenize("请问公积金怎么提取")
