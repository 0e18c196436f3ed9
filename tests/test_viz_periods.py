"""Themes over time by period: decades, documents per period, the report's choice of period."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topics.config import validate
from topics.errors import ConfigError
from topics.experiment_report import period
from topics.viz import theme_by_period, theme_over_time


@pytest.fixture
def scores():
    return pd.DataFrame({"slavery": [4.0, 2.0, 0.0, 0.5, 1.0],
                         "cold_war": [0.0, 0.0, 3.0, 1.0, 9.0]},
                        index=["1851-a", "1859-b", "1953-c", "1961-d", "x"])


def test_decades_average_documents_and_count_them_empty_decades_included(scores):
    data = theme_by_period(scores, ["1851-12-02", "1859-12-19", 1953, "1961-01-12", "n/a"],
                           "decade")
    assert list(data.means.index) == [f"{d}s" for d in range(1850, 1970, 10)]
    assert data.counts.tolist() == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    assert data.undated == 1
    assert data.means.loc["1850s", "slavery"] == 3.0  # (4 + 2) / 2: each address once
    assert np.isnan(data.means.loc["1900s", "slavery"])
    assert data.peaks().to_dict() == {"slavery": "1850s", "cold_war": "1950s"}
    table = data.table()
    assert list(table.columns) == ["period", "documents", "slavery", "cold_war"]
    assert table["documents"].sum() == 4


def test_many_themes_get_one_panel_each_above_the_counts():
    rng = np.random.default_rng(0)
    many = pd.DataFrame(rng.random((30, 8)), columns=[f"theme {i}" for i in range(8)])
    years = [1790 + 8 * i for i in range(30)]
    fig = theme_over_time(many, years, "decade", reference=1.0)
    *panels, bottom = fig.axes
    assert len(panels) == 8
    assert sum(bar.get_height() for bar in bottom.patches) == 30
    assert all("(peak " in ax.get_title() for ax in panels)
    assert "decade" in bottom.get_xlabel()


def test_bad_period_names_the_parameter(scores):
    with pytest.raises(ConfigError) as err:
        theme_by_period(scores, ["1851"] * 5, "century")
    assert err.value.key == "freq"


def test_report_period_auto_and_configured():
    def span(*dates, chosen="auto"):
        return period(pd.Series(pd.to_datetime(list(dates))), chosen)
    assert span("1950-01-01", "2020-01-01") == "Y"
    assert span("1790-01-08", "2026-02-24") == "decade"
    assert span("1790-01-08", "2026-02-24", chosen="year") == "Y"
    config = validate({"corpus": {"dataset": "sotu"},
                       "output": {"period": "decade", "by_fields": ["party"]}})
    assert config.output["period"] == "decade" and config.output["by_fields"] == ["party"]
    with pytest.raises(ConfigError) as err:
        validate({"corpus": {"dataset": "sotu"}, "output": {"period": "century"}})
    assert err.value.key == "output.period"
