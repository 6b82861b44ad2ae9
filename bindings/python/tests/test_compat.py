"""Every public method of the published aip.AipFace (PyPI baidu-aip, installed beside facekit by
scripts/test-python.sh) exists on facekit.AipFace with a compatible signature: the same parameters in the
same order with the same defaults; anything facekit adds is optional."""

import importlib
import inspect
import os

import pytest

import facekit

if os.environ.get("FACEKIT_COMPAT_REQUIRED"):
    aip = importlib.import_module("aip")  # scripts/test-python.sh installed it: its absence is a failure
else:
    aip = pytest.importorskip("aip", reason="baidu-aip is not installed (scripts/test-python.sh installs it)")


def public_methods(cls):
    return {n: m for n, m in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def assert_compatible(name, theirs, ours):
    t = list(inspect.signature(theirs).parameters.values())
    o = list(inspect.signature(ours).parameters.values())
    for tp, op in zip(t, o):
        assert (op.name, op.kind, op.default) == (tp.name, tp.kind, tp.default), f"{name}: {op} vs published {tp}"
    extra = o[len(t):]
    assert len(o) >= len(t), f"{name}: facekit takes fewer parameters than the published {inspect.signature(theirs)}"
    for p in extra:
        assert p.default is not inspect.Parameter.empty or p.kind is inspect.Parameter.VAR_KEYWORD, f"{name}: {p}"


def test_the_published_package_is_the_one_the_spec_describes():
    published = public_methods(aip.AipFace)
    assert len(published) >= 38, sorted(published)


@pytest.mark.parametrize("name", sorted(public_methods(aip.AipFace)))
def test_every_published_method_exists_with_a_compatible_signature(name):
    ours = getattr(facekit.AipFace, name, None)
    assert ours is not None, f"facekit.AipFace lacks {name}"
    assert_compatible(name, getattr(aip.AipFace, name), ours)


def test_the_constructor_accepts_the_published_arguments():
    theirs = inspect.signature(aip.AipFace.__init__)
    ours = inspect.signature(facekit.AipFace.__init__)
    assert list(ours.parameters)[: len(theirs.parameters)] == list(theirs.parameters)
