"""The ward's components: objects the model holds and calls by name, one concept each.

Components:
- `clock`: steps, minutes of the day, days, the timetable block that is on.
- `places`: zones, seats, standing spots, beds, a place beside someone; walking (the move phase).
- `flow`: admission, discharge, census; day-hospital arrivals and departures.
- `staffing`: who is on duty, shift changes and handover, outreach, whom staff go to.
- `day`: the day's fixed events: visits planned, the review, the community meeting, day start and end.
- `encounters`: who meets whom and what a meeting does (the encounter phase); requests to staff.
- `conflict`: agitation, conflict, who sees it, the staff response and containment (the conflict phase).

Agents call them by name (`model.places.send_to_zone(...)`); each applies pure
rules from `milieusim/rules/` and records what happened in `model.recorder`.
"""

from milieusim.ward.clock import Clock
from milieusim.ward.conflict import Conflict
from milieusim.ward.day import DayRoutine
from milieusim.ward.encounters import Encounters
from milieusim.ward.flow import Flow
from milieusim.ward.places import Places
from milieusim.ward.staffing import Staffing

__all__ = ["Clock", "Conflict", "DayRoutine", "Encounters", "Flow", "Places", "Staffing"]
