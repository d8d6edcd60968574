"""Capability declarations shared by the backends."""

import pytest

from planner.backends.base import DEFAULT_SUPPORTS, importable, supports


def test_a_backend_declares_only_its_differences():
    caps = supports(lp=False)
    assert caps == {**DEFAULT_SUPPORTS, "lp": False}
    assert DEFAULT_SUPPORTS["lp"] is True  # the default is not changed by a declaration


def test_an_unknown_capability_is_refused_by_name():
    with pytest.raises(KeyError, match="warmstart"):
        supports(warmstart=True)


def test_importable():
    assert importable("json")
    assert not importable("planner_no_such_solver_package")
