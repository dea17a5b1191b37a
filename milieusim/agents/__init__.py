"""The people of the ward: thin agents holding state and making decisions that call `rules/`.

Components:
- `person`: the roster (arrays over everyone, for the vectorised phases) and the shared base.
- `patient`: state, choices within the timetable, the day's record.
- `staff`: roles, shifts, tasks.
- `family`: relatives who visit (or live with the patient at home).
"""
