"""Shared fixtures: small hand-made plans with known answers."""

import textwrap

import pytest

from milieusim.space import parse_layout

TINY = textwrap.dedent('''
    [layout]
    name = "tiny"
    description = "two bedrooms, a dayroom and a staff base"
    cell_size_m = 0.5
    beds = 2

    [rooms]
    plan = """
    ############
    #bbb#bbb#dd#
    #bbb#bbb#dd#
    ##+###+##+##
    #e........s#
    ############
    """

    [furniture.standard]
    plan = """
    ############
    #B..#B..#CT#
    #B..#B..#.>#
    ##+###+##+##
    #..........#
    ############
    """
''')


def make_layout(
    rooms: str, furniture: str | None = None, beds: int = 0, setting: str = "inpatient", extra: str = ""
) -> str:
    """Text of a layout file around the given plans."""
    text = (
        f'[layout]\nname = "t"\ncell_size_m = 0.5\nbeds = {beds}\nsetting = "{setting}"\n{extra}\n'
        f'[rooms]\nplan = """\n{textwrap.dedent(rooms).strip()}\n"""\n'
    )
    if furniture is not None:
        text += f'[furniture.standard]\nplan = """\n{textwrap.dedent(furniture).strip()}\n"""\n'
    return text


@pytest.fixture
def tiny():
    return parse_layout(TINY, source="tiny.toml")
