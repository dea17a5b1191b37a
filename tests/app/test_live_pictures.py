"""The live ward's pictures: people coloured by level or agitation, and plots that follow the run."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from milieusim.app.drawing import AGITATION_CMAP, LivePlots, WardPicture, colours
from milieusim.app.live import LiveWard, Setup
from milieusim.kinds import PATIENT, STAFF
from milieusim.viz.run import LEVEL_COLOURS

PNG = b"\x89PNG\r\n\x1a\n"


def test_people_are_coloured_by_level_or_agitation():
    ward = LiveWard(Setup.of(seed="1"))
    ward.advance(150)
    f = ward.frame
    by_level, by_agitation = colours(f, "level"), colours(f, "agitation")
    pts = np.flatnonzero(f.role == PATIENT)
    staff = np.flatnonzero(f.role == STAFF)
    assert pts.size and staff.size
    for i in pts:
        assert tuple(by_level[i]) == to_rgba(LEVEL_COLOURS[f.level[i] - 1])
        assert np.allclose(by_agitation[i], AGITATION_CMAP(f.agitation[i]))
    assert all(tuple(by_level[i]) == tuple(by_agitation[i]) == to_rgba("#1d3557") for i in staff)
    with pytest.raises(ValueError, match="colour_by 'mood'; valid: level, agitation"):
        colours(f, "mood")


def test_pictures_follow_the_ward():
    ward = LiveWard(Setup.of(seed="1"))
    picture, plots = WardPicture(ward.model.layout), LivePlots()
    before, chart = picture.png(ward.frame), plots.png(ward.history)
    assert before.startswith(PNG) and chart.startswith(PNG)
    assert picture.png(ward.frame) == before  # the same frame draws the same picture
    assert picture.png(ward.frame, "agitation") != before
    ward.advance(120)  # people get up and move
    assert picture.png(ward.frame) != before and plots.png(ward.history) != chart
