"""The chart builders: the ECharts option and the table fallback carry the same figures."""
import json

from hotline.web.charts import count_chart, flag_chart, rate_chart, trend_chart


def spec(chart) -> dict:
    return json.loads(chart.option_json())


def test_a_rate_chart_shows_percentages_and_a_gap_for_a_unit_without_a_rate():
    chart = rate_chart([("住建局", 0.9876), ("交通局", None)], "满意率")
    body = spec(chart)
    assert body["option"]["series"][0]["data"] == [98.8, None]
    assert body["percent"] == ["满意率"]
    assert chart.rows == [["住建局", "98.8%"], ["交通局", "无数据"]]


def test_flags_stack_in_their_colours_and_the_table_counts_each():
    chart = flag_chart([("住建局", {"green": 3, "red": 1})], "红绿黑旗")
    series = spec(chart)["option"]["series"]
    assert [s["name"] for s in series] == ["绿旗", "黄旗", "红旗", "黑旗"]
    assert [s["data"] for s in series] == [[3], [0], [1], [0]]
    assert chart.rows == [["住建局", "3", "0", "1", "0"]]


def test_a_trend_has_volumes_on_the_left_scale_and_rates_on_the_right():
    chart = trend_chart(["26-10", "26-11"], [5, 7], {"满意率": [None, 0.5]}, "走势")
    option = spec(chart)["option"]
    assert option["series"][0]["data"] == [5, 7] and option["series"][1]["yAxisIndex"] == 1
    assert option["series"][1]["data"] == [None, 50.0]
    assert chart.rows == [["26-10", "5", "无数据"], ["26-11", "7", "50.0%"]]


def test_counts_keep_the_order_given():
    chart = count_chart([("b", 2), ("a", 1)], "派单量")
    assert spec(chart)["option"]["yAxis"]["data"] == ["b", "a"] and chart.rows == [["b", "2"], ["a", "1"]]
