"""Power (rules/power.py): the Gini of voice, patients' power, and the community meeting.

Known Gini values: equal weights 0; one of n holding all (n-1)/n; 1,2,3,4 gives
0.25 (mean absolute difference 1.25 over twice the mean 2.5, halved: 20 / 80).
"""

import numpy as np
import pytest

from milieusim.rules.power import gini, meeting, meeting_weights, patient_power

# -- gini


def test_gini_of_equal_weights_is_0():
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0.3] * 7) == pytest.approx(0.0, abs=1e-12)  # float sums of 0.3


def test_gini_when_one_holds_all():
    assert gini([0, 0, 0, 1]) == 0.75
    assert gini([0, 5]) == 0.5


def test_gini_known_values():
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([1, 3]) == pytest.approx(0.25)  # |1 - 3| x 2 / (2 x 4 x 2)


def test_gini_ignores_order_and_scale():
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert gini([40, 10, 30, 20]) == pytest.approx(0.25)


def test_gini_of_nothing_is_0():
    assert gini([]) == 0.0
    assert gini([0, 0, 0]) == 0.0


# -- patients' power


def test_no_inequality_gives_everyone_power_1():
    np.testing.assert_array_equal(patient_power(5, 0.0, np.random.default_rng(0)), np.ones(5))


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
def test_inequality_outside_0_1_is_an_error(bad):
    with pytest.raises(ValueError, match="must be within"):
        patient_power(5, bad, np.random.default_rng(0))


@pytest.mark.parametrize("inequality", [0.2, 0.4, 0.6])
def test_patient_power_has_mean_1_and_the_requested_gini(inequality):
    w = patient_power(200_000, inequality, np.random.default_rng(42))
    assert w.size == 200_000
    assert w.min() > 0
    # Tolerances: at Gini 0.6 (sigma 1.19) the mean of 200 000 has sd 0.0041 and the sample Gini
    # sd about 0.002; 0.02 and 0.01 are more than 4 sd at every value tested.
    assert w.mean() == pytest.approx(1.0, abs=0.02)
    assert gini(w) == pytest.approx(inequality, abs=0.01)


def test_patient_power_is_reproducible():
    a = patient_power(10, 0.4, np.random.default_rng(5))
    b = patient_power(10, 0.4, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)


# -- meeting weights


def test_meeting_weights_known_values():
    pw, sw = meeting_weights([1.0, 3.0], 2, 0.4)
    np.testing.assert_allclose(pw, [0.1, 0.3])
    np.testing.assert_allclose(sw, [0.3, 0.3])


@pytest.mark.parametrize("balance", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_patients_share_the_balance_and_weights_sum_to_1(balance):
    power = patient_power(12, 0.5, np.random.default_rng(1))
    pw, sw = meeting_weights(power, 5, balance)
    assert pw.sum() + sw.sum() == pytest.approx(1.0)
    assert pw.sum() == pytest.approx(balance)
    np.testing.assert_allclose(sw, (1 - balance) / 5)
    if balance > 0:
        np.testing.assert_allclose(pw / pw.sum(), power / power.sum())


def test_without_staff_patients_hold_all_the_weight():
    pw, sw = meeting_weights([1.0, 1.0, 2.0], 0, 0.3)
    np.testing.assert_allclose(pw, [0.25, 0.25, 0.5])
    assert sw.size == 0


def test_without_patients_staff_hold_all_the_weight():
    pw, sw = meeting_weights([], 4, 0.3)
    assert pw.size == 0
    np.testing.assert_allclose(sw, [0.25] * 4)


# -- the meeting


POWER = np.array([0.5, 1.0, 1.5, 2.0, 3.0])


def test_meeting_is_reproducible_with_the_same_seed():
    a = meeting(POWER, 3, 0.5, 0.6, np.random.default_rng(9))
    b = meeting(POWER, 3, 0.5, 0.6, np.random.default_rng(9))
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    assert a[2] == b[2]


def test_meeting_gini_is_the_gini_of_the_weights():
    pw, sw = meeting_weights(POWER, 3, 0.5)
    _, _, g = meeting(POWER, 3, 0.5, 0.6, np.random.default_rng(0))
    assert g == gini(np.concatenate([pw, sw]))


def test_heard_is_each_patients_weight_or_nothing():
    pw, _ = meeting_weights(POWER, 3, 0.5)
    for seed in range(100):
        _, heard, _ = meeting(POWER, 3, 0.5, 0.5, np.random.default_rng(seed))
        assert np.all((heard == 0.0) | (heard == pw))


def test_supportive_staff_carry_the_proposal_and_its_backers_are_heard():
    # staff hold 0.6 and all back it: it passes whatever the patients do
    pw, _ = meeting_weights(POWER, 3, 0.4)
    heard_counts = []
    for seed in range(2000):
        passed, heard, _ = meeting(POWER, 3, 0.4, 1.0, np.random.default_rng(seed))
        assert passed is True
        heard_counts.append(int((heard > 0).sum()))
    # patients back it with chance 0.7: 10 000 draws, sd of the share 0.0046; allow 4 sd
    assert np.mean(heard_counts) / POWER.size == pytest.approx(0.7, abs=0.02)


def test_opposed_staff_sink_the_proposal_and_its_opponents_are_heard():
    pw, _ = meeting_weights(POWER, 3, 0.4)
    for seed in range(200):
        passed, heard, _ = meeting(POWER, 3, 0.4, 0.0, np.random.default_rng(seed))
        assert passed is False
        assert 0.0 <= heard.sum() <= 0.4 + 1e-12


def test_patients_alone_decide_by_majority_of_weight():
    for seed in range(300):
        passed, heard, _ = meeting(POWER, 0, 0.3, 0.5, np.random.default_rng(seed))
        # the winners' weight: the backers' if it passed (over half), else the opponents' (at least half)
        assert heard.sum() > 0.5 if passed else heard.sum() >= 0.5


def test_exactly_half_the_weight_does_not_pass():
    # one patient holds 0.5 and backs it at most; the one staff member (0.5) opposes
    results = [meeting([1.0], 1, 0.5, 0.0, np.random.default_rng(s))[0] for s in range(50)]
    assert results == [False] * 50


def test_staff_support_sets_how_often_staff_back_a_proposal():
    # patients hold no weight, one staff member decides: passes with chance staff_support
    passed = [meeting(POWER, 1, 0.0, 0.3, np.random.default_rng(s))[0] for s in range(4000)]
    assert np.mean(passed) == pytest.approx(0.3, abs=0.03)  # sd 0.0072; about 4 sd
