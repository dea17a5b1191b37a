"""Random streams: a `Stream` draws exactly the numbers of numpy's `Generator` it wraps."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from milieusim.rng import POOL, Stream, named_streams, spawn_seeds


def _calls(seed: int, n: int):
    """A long random mix of the calls the model makes, and some it does not."""
    pick = np.random.default_rng(seed)
    calls = []
    for _ in range(n):
        kind = int(pick.integers(0, 10))
        if kind < 4:
            low = int(pick.integers(-5, 50))
            span = int(pick.choice([1, 2, 3, 5, 26, 46, 1000, 2**31 + 7, 2**32 - 1, 2**32 + 5]))
            calls.append(("integers", (low, low + span), {}))
        elif kind < 7:
            calls.append(("random", (), {}))
        elif kind == 7:
            calls.append(("random", (int(pick.integers(0, POOL + 40)),), {}))
        elif kind == 8:
            calls.append(("standard_normal", (), {}))
        else:
            calls.append(
                [
                    ("normal", (0.0, 1.0, 3), {}),
                    ("uniform", (0.9, 1.3), {}),
                    ("integers", (0, 10), {"size": 4}),
                    ("integers", (0, 5), {"endpoint": True}),
                    ("choice", (7, 3), {"replace": False}),
                    ("random", ((2, 3),), {}),
                    ("integers", (np.int64(3), 9), {}),
                ][int(pick.integers(0, 7))]
            )
    return calls


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_stream_draws_what_numpy_draws_call_for_call(seed):
    numpy_rng = np.random.default_rng(seed + 100)
    stream = Stream(np.random.default_rng(seed + 100))
    for name, args, kwargs in _calls(seed, 3000):
        want = getattr(numpy_rng, name)(*args, **kwargs)
        got = getattr(stream, name)(*args, **kwargs)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want), err_msg=f"{name}{args}{kwargs}")
        assert np.asarray(got).dtype.kind == np.asarray(want).dtype.kind
    # and the generator is left where numpy's own is, once the stream hands over
    assert stream.bytes(16) == numpy_rng.bytes(16)


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("integers", (0, 10, None, np.int32), {}),
        ("integers", (0, 5), {"endpoint": True}),
        ("integers", (2**63, 2**63 + 5), {}),  # out of int64: numpy's error
        ("integers", (-(2**63) - 5, -(2**63)), {}),
        ("integers", (5, 3), {}),  # low >= high: numpy's error
        ("integers", (True, 4), {}),
        ("random", (), {"dtype": np.float32}),
        ("random", (3, np.float32), {}),
        ("random", (-1,), {}),
    ],
)
def test_every_other_form_is_numpys_own(name, args, kwargs):
    def call(rng):
        rng.random()  # mid-pool for the stream
        try:
            return np.asarray(getattr(rng, name)(*args, **kwargs)).tolist(), rng.random()
        except (ValueError, TypeError) as e:
            return type(e), str(e)

    assert call(Stream(np.random.default_rng(4))) == call(np.random.default_rng(4))


def test_a_stream_wraps_pcg64_only():
    with pytest.raises(TypeError, match="PCG64 .*got Philox"):
        Stream(np.random.Generator(np.random.Philox(1)))


def test_scalar_draws_are_python_numbers_as_the_model_uses_them():
    stream = Stream(np.random.default_rng(5))
    assert type(stream.random()) is float
    assert type(stream.integers(15, 41)) is int
    assert stream.integers(3, 4) == 3  # a range of one draws nothing, as numpy
    assert stream.random(0).shape == (0,)


def test_a_stream_pickles_and_copies_mid_pool():
    stream = Stream(np.random.default_rng(9))
    stream.random(), stream.integers(0, 7)
    copies = pickle.loads(pickle.dumps(stream)), copy.deepcopy(stream)
    want = [stream.integers(0, 100) for _ in range(300)], stream.normal()
    for other in copies:
        assert ([other.integers(0, 100) for _ in range(300)], other.normal()) == want


def test_only_methods_pass_through():
    with pytest.raises(AttributeError, match="methods only"):
        getattr(Stream(np.random.default_rng(1)), "bit_generator")  # noqa: B009


def test_named_streams_depend_on_seed_and_name_only():
    a, b = named_streams(7), named_streams(7, ("staff", "behaviour"))
    assert a["staff"].random() == b["staff"].random()
    assert a["behaviour"].random() != a["staff"].random()
    assert named_streams(8)["staff"].random() != named_streams(7)["staff"].random()
    assert spawn_seeds(3, 4) == spawn_seeds(3, 4) and len(set(spawn_seeds(3, 4))) == 4
