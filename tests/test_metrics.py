"""Summary scalars derived from what a run records."""

import pytest

from milieusim.runner import run
from milieusim.scenario import load_scenario
from milieusim.space.layout_file import load_layout
from milieusim.space.symbols import SOCIAL_ZONES


def test_social_space_hours_come_from_presence_in_social_zones(tmp_path):
    scenario = load_scenario(changes=['ward.layout="central_base"'])
    res = run(scenario, seed=5, days=2)
    social = load_layout("central_base").mask(*SOCIAL_ZONES)
    presence = res.spatial["presence_patients"]
    hours = presence[social].sum() * scenario.time.step_minutes / 60
    per_day = res.summary["social_space_hours_per_patient_day"]
    assert per_day == pytest.approx(hours / res.summary["occupied_bed_days"], rel=1e-12)
    # patients spend part of the day there, and sleep in their bedrooms
    assert 1.0 < per_day < 24.0
    all_hours = presence.sum() * scenario.time.step_minutes / 60 / res.summary["occupied_bed_days"]
    assert all_hours == pytest.approx(24.0, rel=0.05)
