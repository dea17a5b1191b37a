"""Pure rules of the milieu, testable without a grid (docs/ODD.md §7).

Components:
- `schedule`: the timetable, who is expected where, staff shifts.
- `levels`: measures over a patient's days, the daily review, demotion, the rules in words.
- `interaction`: encounter likelihood (distance, seat relation) and what an encounter does.
- `power`: voice weights, the community meeting, the Gini of decision weight.
- `conflict`: flashpoints, conflict kinds, talk-down or containment (Safewards).
- `course`: the day-to-day course of symptoms, hygiene and autonomy.
"""
