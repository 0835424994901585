"""Every unit Brian2 has is importable from eqsnn.units with Brian2's value.

``brian2_units.txt`` beside this file lists Brian2 2.9.0's units (2,095 names: every SI
prefix of every base and derived unit, their squares and cubes, and the short names),
each with its value in SI and its dimension, as Brian2 itself computes them."""
from pathlib import Path

import numpy as np
import pytest

import eqsnn as es
from eqsnn import units

_BASE_DIMENSIONS = ["[length]", "[mass]", "[time]", "[current]", "[temperature]",
                    "[substance]", "[luminosity]"]


def _brian2_units():
    rows = []
    for line in (Path(__file__).parent / "brian2_units.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, value, *powers, star = line.split()
            rows.append((name, float(value), [float(p) for p in powers], star == "1"))
    return rows


BRIAN2_UNITS = _brian2_units()


def test_the_list_is_brian2s_whole_list():
    names = {row[0] for row in BRIAN2_UNITS}
    assert len(names) == 2095
    assert {"nvolt", "pamp", "usiemens", "cm2", "ufarad", "Mohm", "kHz", "mmolar",
            "cmetre3", "Ylitre", "kelvin2", "msteradian"} <= names


def test_every_brian2_unit_is_importable_with_brian2s_value_and_dimension():
    wrong = []
    for name, value, powers, _ in BRIAN2_UNITS:
        unit = getattr(units, name)
        si, dim = units.to_si(unit)
        mine = [float(dim.get(base, 0)) for base in _BASE_DIMENSIONS]
        if mine != powers or not np.isclose(float(si), value, rtol=1e-12, atol=0):
            wrong.append((name, float(si), mine, value, powers))
    assert wrong == []


def test_star_import_gives_what_brian2s_star_import_gives():
    star = {name for name, _, _, in_star in BRIAN2_UNITS if in_star}
    assert len(star) == 203
    assert star <= set(units.__all__)
    namespace = {}
    exec("from eqsnn.units import *", namespace)  # noqa: S102  (test of the star import)
    assert star <= set(namespace)


def test_units_without_dimension_are_plain_numbers():
    from eqsnn.units import mradian, radian, steradian
    assert (radian, mradian, steradian) == (1.0, 0.001, 1.0)
    assert type(radian) is float


def test_an_unknown_unit_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'mvolts'"):
        units.mvolts


@pytest.mark.parametrize("unit_text, value", [
    ("mvolt", 1e-3), ("msiemens/cmetre2", 10.0), ("ufarad/cm2", 1e-2), ("kHz", 1e3),
    ("nsiemens", 1e-9), ("Mohm", 1e6), ("usecond", 1e-6),
])
def test_brian2_unit_names_work_after_the_colon_of_an_equation(unit_text, value):
    equations = es.Equations(f"x : {unit_text}")
    assert units.to_si(1 * equations["x"].unit)[0] == pytest.approx(value)
