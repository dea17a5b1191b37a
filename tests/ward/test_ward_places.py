"""Places: seats held and released, standing spots, beside someone, and walking along fields."""

import numpy as np
import pytest

from milieusim.kinds import STAFF, Activity
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.space.symbols import Zone
from milieusim.ward.places import NEAR_OFFSETS


@pytest.fixture
def ward():
    m = MilieuModel(rng=11)
    m.step()
    return m


def test_a_seated_person_holds_one_free_seat_and_gives_it_up(ward):
    places = ward.places
    p = next(x for x in ward.flow.patients() if x.present)
    places.send_to_zone(p, "dayroom", Activity.FREE, ward.clock.until(30), sit=True)
    seat = places.seat_of(p.slot)
    assert seat is not None and places.holder_of(seat) == p.slot
    assert ward.layout.zones[seat] == Zone.DAYROOM
    assert tuple(ward.roster.dest[p.slot]) == seat and ward.roster.facing[p.slot] >= 0
    places.send_to_zone(p, "garden", Activity.FREE, ward.clock.until(30), sit=False)
    assert places.seat_of(p.slot) is None and places.holder_of(seat) is None
    assert ward.roster.facing[p.slot] == -1


def test_no_two_people_are_sent_to_one_seat(ward):
    places = ward.places
    for p in ward.flow.patients():
        if p.present:
            places.send_to_zone(p, "dining", Activity.MEAL, ward.clock.until(30), sit=True)
    held = places.held_seats()
    assert len(set(held.values())) == len(held) > 0


def test_standing_beside_someone_is_about_a_metre_away_in_their_room(ward):
    places = ward.places
    p, q = [x for x in ward.flow.patients() if x.present][:2]
    places.send_to_zone(p, "dayroom", Activity.FREE, ward.clock.until(30), sit=False)
    places.send_next_to(q, p, Activity.ONE_TO_ONE, ward.clock.until(30))
    target, beside = ward.roster.dest[p.slot], ward.roster.dest[q.slot]
    offset = (int(beside[0] - target[0]), int(beside[1] - target[1]))
    assert offset in NEAR_OFFSETS[:8]  # two cells off (1 m at 0.5 m cells) when that floor is free
    assert ward.layout.room_of[tuple(beside)] == ward.layout.room_of[tuple(target)]


def test_walking_follows_the_field_at_most_a_step_s_distance():
    """A step of walking covers at most `max_walk_m` of the walking field (here shortened to 10 m)."""
    m = MilieuModel(rng=11)
    m.step()
    places = m.places
    assert places.max_walk_m == 5 * 60 * 1.0  # 5 minutes at 1 m/s
    places.max_walk_m = 10.0
    p = next(x for x in m.flow.patients() if x.present and x.bed is not None)
    field = m.geometry.field(("cell", p.bed))
    far = np.unravel_index(np.argmax(np.where(np.isfinite(field), field, -1)), field.shape)
    p.put(tuple(int(v) for v in far))
    p.go(p.bed, Activity.REST, m.clock.until(60))
    before, walked = field[far], p.walked_m
    assert before > 3 * places.max_walk_m  # far enough to take several steps
    places.move()
    assert before - places.max_walk_m - 1.0 < field[p.here] <= before - places.max_walk_m + 1e-9
    while p.here != p.bed:
        places.move()
    assert p.walked_m - walked == pytest.approx(before)


def test_busiest_social_zone_counts_patients(ward):
    for p in ward.flow.patients():
        if p.present:
            ward.places.send_to_zone(p, "garden", Activity.FREE, ward.clock.until(30), sit=False)
            p.put(tuple(int(v) for v in ward.roster.dest[p.slot]))
    assert ward.places.busiest_social_zone() == "garden"


@pytest.mark.parametrize("layout", ["corridor", "central_base", "cluster"])
def test_a_patient_asks_staff_at_the_counter_outside_the_staff_base(layout):
    m = MilieuModel(Scenario().with_changes({"ward.layout": layout}), rng=5)
    m.step()
    base = m.layout.zones == Zone.STAFF_BASE
    doors = {d for room in m.layout.rooms if room.zone == Zone.STAFF_BASE for d in room.doors}
    for p in m.flow.patients()[:6]:
        m.encounters.request(p, m.clock.until(15))
        dest = tuple(int(v) for v in m.roster.dest[p.slot])
        assert not base[dest] and m.layout.zones[dest] == Zone.CORRIDOR
        assert any(abs(dest[0] - d[0]) + abs(dest[1] - d[1]) == 1 for d in doors), "not at a door"
    m.step()
    assert not any(base[p.here] for p in m.flow.patients())
    staff = next(s for s in m.agents if s.role == STAFF and s.present and base[s.here])
    staff.go(staff.here, Activity.OFFICE, m.clock.until(15))  # staying in the base
    patient = m.flow.patients()[0]
    m.places.send_next_to(patient, staff, patient.activity, m.clock.until(15))
    assert tuple(int(v) for v in m.roster.dest[patient.slot]) in m.places.counters
