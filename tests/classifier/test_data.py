"""Loading labelled CSV files and validating training data."""

import pytest

from classifier import DataError, load_labelled_csv
from classifier.data import data_fingerprint, drop_rare_labels, validate_pairs


def write(tmp_path, content, name="data.csv", encoding="utf-8"):
    """Write ``content`` to a file under tmp_path and return its path."""
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def test_loads_texts_and_labels(tmp_path):
    """Rows come back in order, with a BOM tolerated and quoted newlines kept."""
    path = write(tmp_path, '\ufeffid,text,label\n1,地铁拥堵,交通\n2,"学校\n放假",教育\n')
    texts, labels = load_labelled_csv(path)
    assert texts == ["地铁拥堵", "学校\n放假"]
    assert labels == ["交通", "教育"]


def test_custom_columns(tmp_path):
    """Other column names can be chosen."""
    path = write(tmp_path, "q,dept\n问题一,甲\n问题二,乙\n")
    assert load_labelled_csv(path, text_column="q", label_column="dept") == (["问题一", "问题二"], ["甲", "乙"])


def test_missing_column_is_named(tmp_path):
    """The error names the missing column and lists the ones found."""
    path = write(tmp_path, "id,body,label\n1,x,a\n")
    with pytest.raises(DataError, match=r"lacks column\(s\) text.*found: id, body, label"):
        load_labelled_csv(path)


def test_empty_texts_name_the_lines(tmp_path):
    """Empty texts are reported with their file line numbers."""
    path = write(tmp_path, "text,label\n好,a\n ,b\n好,a\n,b\n")
    with pytest.raises(DataError, match=r"empty 'text' on line\(s\) 3, 5"):
        load_labelled_csv(path)


def test_empty_label_is_reported(tmp_path):
    """A row without a label is an error too."""
    path = write(tmp_path, "text,label\n好,a\n坏,\n")
    with pytest.raises(DataError, match=r"empty 'label' on line\(s\) 3"):
        load_labelled_csv(path)


def test_single_label_is_rejected(tmp_path):
    """Training needs at least two labels."""
    path = write(tmp_path, "text,label\n好,a\n坏,a\n")
    with pytest.raises(DataError, match="only one label"):
        load_labelled_csv(path)


def test_non_utf8_file_is_rejected(tmp_path):
    """A GBK export is reported as not UTF-8."""
    path = write(tmp_path, "text,label\n地铁拥堵,交通\n学校,教育\n", encoding="gbk")
    with pytest.raises(DataError, match="not UTF-8"):
        load_labelled_csv(path)


@pytest.mark.parametrize("content,message", [("", "is empty"), ("  \n", "is empty"), ("text,label\n", "no data rows")])
def test_empty_files_are_rejected(tmp_path, content, message):
    """Empty files and header-only files are errors."""
    with pytest.raises(DataError, match=message):
        load_labelled_csv(write(tmp_path, content))


def test_missing_file_is_a_data_error(tmp_path):
    """A path that does not exist is a DataError, not an OSError."""
    with pytest.raises(DataError, match="cannot read"):
        load_labelled_csv(tmp_path / "nope.csv")


def test_validate_pairs_checks_lengths_and_types():
    """Mismatched lengths, a bare string and non-strings are rejected."""
    with pytest.raises(DataError, match="2 texts but 1 labels"):
        validate_pairs(["a", "b"], ["x"])
    with pytest.raises(DataError, match="not a single string"):
        validate_pairs("ab", ["x", "y"])
    with pytest.raises(DataError, match="non-string"):
        validate_pairs(["a", None], ["x", "y"])


def test_drop_rare_labels_reports_what_it_dropped():
    """Labels under the minimum are removed and counted."""
    texts, labels, dropped = drop_rare_labels(list("abcde"), ["x", "x", "x", "y", "z"], 2)
    assert (texts, labels, dropped) == (["a", "b", "c"], ["x", "x", "x"], {"y": 1, "z": 1})


def test_fingerprint_depends_on_pairs_not_formatting():
    """The hash changes with any text or label and not otherwise."""
    base = data_fingerprint(["ab", "c"], ["x", "y"])
    assert base == data_fingerprint(["ab", "c"], ["x", "y"])
    assert base != data_fingerprint(["a", "bc"], ["x", "y"])
    assert base != data_fingerprint(["ab", "c"], ["y", "x"])


def test_a_title_column_goes_before_the_text(tmp_path):
    """Another city's export has title and body: both are read, and a title alone is text enough."""
    path = tmp_path / "city.csv"
    path.write_text("id,title,text,label\n1,电梯故障,小区电梯停运,城乡建设\n2,公交线路调整,,交通运输\n3,,噪音扰民,环境保护\n",
                    encoding="utf-8")
    texts, labels = load_labelled_csv(path, title_column="title")
    assert texts == ["电梯故障\n小区电梯停运", "公交线路调整", "噪音扰民"]
