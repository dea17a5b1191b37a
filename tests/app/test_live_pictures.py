"""The live ward's pictures: people coloured by level or agitation, and plots that follow the run."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from milieusim.app.drawing import (
    AGITATION_CMAP,
    AGITATION_TOPS,
    LivePlots,
    WardPicture,
    agitation_top,
    colours,
    shared_cells,
)
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
        assert np.allclose(by_agitation[i], AGITATION_CMAP(f.agitation[i] / agitation_top(f)))
    # the agitation scale's top is the first step above the most agitated patient
    top = agitation_top(f)
    assert f.agitation[pts].max() <= top and top in AGITATION_TOPS
    assert top == AGITATION_TOPS[0] or f.agitation[pts].max() > AGITATION_TOPS[AGITATION_TOPS.index(top) - 1]
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
    uid = int(ward.frame.ids[0])
    assert picture.png(ward.frame, follow=uid) != picture.png(ward.frame)  # the person followed is ringed
    f = ward.frame
    shared = shared_cells(f)
    for r, c, n in shared:
        assert n == int(np.sum((f.rows == r) & (f.cols == c))) > 1
    assert sum(n for *_, n in shared) + len({*zip(f.rows, f.cols, strict=True)}) - len(shared) == len(f.rows)
