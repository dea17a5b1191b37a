"""The model's vocabularies: who a person is, what they are doing, and what kind of place the ward is.

Enums rather than strings compared by hand: a typo is an error at import, and a
reader finds every use of an activity by its name. `Activity` and `Setting` are
string enums, so tables and files keep their plain words ("group", "inpatient").
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(IntEnum):
    """A person's role; the roster's `role` array holds these codes."""

    PATIENT = 0
    STAFF = 1
    RELATIVE = 2


PATIENT, STAFF, RELATIVE = Role.PATIENT, Role.STAFF, Role.RELATIVE


class Setting(StrEnum):
    """Where care happens (a layout's `setting`)."""

    INPATIENT = "inpatient"
    DAY = "day"  # day hospital: patients come by day and go home at night
    HOME = "home"  # home treatment: one patient, family, outreach visits


class Activity(StrEnum):
    """What a person is doing now: timetable blocks, patients' own choices and staff tasks."""

    # blocks of the timetable (params_tables.Activity)
    SLEEP = "sleep"
    HYGIENE = "hygiene"
    MEAL = "meal"
    MEETING = "meeting"
    GROUP = "group"
    WORK = "work"
    VISITING = "visiting"
    FREE = "free"
    # patients and relatives
    AWAY = "away"  # not on the ward
    REST = "rest"
    REQUEST = "request"
    VISIT = "visit"
    HOME = "home"  # a relative at home
    SECLUSION = "seclusion"
    RESTRAINT = "restraint"
    # staff tasks, in the order of their codes in the roster's `task` array (TASKS)
    HANDOVER = "handover"
    OBSERVATION = "observation"
    ONE_TO_ONE = "one_to_one"
    RESPONSE = "response"
    FAMILY = "family"
    OFFICE = "office"
    OUTREACH = "outreach"


A = Activity
#: Staff tasks; a task's code in the roster is its index here (time use is counted by code).
TASKS: tuple[Activity, ...] = (
    A.HANDOVER,
    A.OBSERVATION,
    A.ONE_TO_ONE,
    A.GROUP,
    A.MEETING,
    A.MEAL,
    A.RESPONSE,
    A.FAMILY,
    A.OFFICE,
    A.OUTREACH,
)
TASK_CODE = {task: code for code, task in enumerate(TASKS)}
#: Tasks in direct contact with patients (Whittington & McLaughlin's "contact").
CONTACT_TASKS = frozenset({A.ONE_TO_ONE, A.GROUP, A.MEETING, A.MEAL, A.RESPONSE, A.FAMILY, A.OUTREACH})
#: Activities social in themselves (else engagement needs an encounter).
SOCIAL_ACTIVITIES = frozenset({A.GROUP, A.MEETING, A.VISIT})
#: Group sessions.
GROUP_ACTIVITIES = frozenset({A.GROUP, A.MEETING})
#: Activities a new timetable block does not interrupt: containment, visits, responses, handovers.
PROTECTED_ACTIVITIES = frozenset(
    {A.SECLUSION, A.RESTRAINT, A.VISIT, A.FAMILY, A.OUTREACH, A.RESPONSE, A.HANDOVER}
)
#: Containment a relative does not visit through.
CONFINED = frozenset({A.SECLUSION, A.RESTRAINT})
