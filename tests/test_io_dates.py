"""Date normalisation to ISO YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from topics.io import normalise_date


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-04-12", "2022-04-12"),
    ("  12 April 2022 ", "2022-04-12"),
    ("April 3, 2021", "2021-04-03"),
    ("Tue, 12 Apr 2022 10:00:00 GMT", "2022-04-12"),
    ("2022-04-12T23:30:00+05:00", "2022-04-12"),  # the date where it was written
    ("04/05/2022", "2022-04-05"),  # ambiguous: month first, as pandas
    ("2022-04", "2022-04-01"),
    ("2022", "2022-01-01"),
    (2022, "2022-01-01"),  # digits, not seconds since 1970
    (20220412, "2022-04-12"),
    (2022.0, "2022-01-01"),
    (np.int64(20220412), "2022-04-12"),
    (dt.date(2020, 2, 29), "2020-02-29"),
    (dt.datetime(2020, 2, 29, 23, 59), "2020-02-29"),
    (pd.Timestamp("2019-12-31 10:00", tz="UTC"), "2019-12-31"),
])
def test_parseable_dates(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize("value", [
    "", "  ", None, float("nan"), pd.NaT, True, 1.5, "not a date", "2022-13-45",
    "now", "Today", "yesterday",
])
def test_not_dates(value):
    assert normalise_date(value) is None
