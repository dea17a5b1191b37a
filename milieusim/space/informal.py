"""Informal space: the distance people keep, after E. T. Hall.

Everyone carries invisible zones [@hall1966]: intimate up to 0.45 m, personal
0.45-1.2 m, social 1.2-3.6 m, public beyond. The zones widen with agitation:
violent prisoners stopped an approaching person at about 0.9 m against 0.45 m
for others, and the zone bulged behind them [@kinzel1970]. Someone
standing closer than a person's personal radius intrudes on them; the model
turns intrusion into arousal.

Pure functions over plain numbers (compiled kernels, `milieusim.jit`), so the model can
apply them to every pair in a room in one compiled loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from milieusim.jit import kernel

#: Outer edges of Hall's zones, metres [@hall1966].
HALL_INTIMATE_M = 0.45
HALL_PERSONAL_M = 1.2
HALL_SOCIAL_M = 3.6
#: Widening of all zones at full agitation: x2, as Kinzel's violent group (0.9 vs 0.45 m).
AGITATION_WIDENING = 1.0
#: Zone depth behind a person relative to in front. Assumption: 1.5, for the bulge
#: behind that [@kinzel1970] reports without a single ratio.
BACK_FACTOR = 1.5
#: A person's buffer zone relative to the usual is drawn uniformly from this range on admission:
#: some keep larger buffer zones (Horowitz et al. 1964). Assumption: the bounds.
BUFFER_SENSITIVITY = (0.9, 1.3)


@dataclass(frozen=True)
class Radii:
    """A person's zone edges in front of them, metres; behind they are `back_factor` times wider."""

    intimate_m: float
    personal_m: float
    social_m: float
    back_factor: float = BACK_FACTOR


def personal_space(agitation: float, sensitivity: float = 1.0) -> Radii:
    """Zone edges of a person at `agitation` (0 calm .. 1 highly agitated).

    Args:
        agitation: 0..1.
        sensitivity: multiplier for people who keep larger body-buffer zones
            ([@horowitz1964] report them for patients with schizophrenia); 1 = typical.

    Raises:
        ValueError: agitation outside 0..1 or sensitivity not positive.
    """
    if not 0.0 <= agitation <= 1.0:
        raise ValueError(f"agitation {agitation!r} must be within 0..1")
    if not sensitivity > 0:
        raise ValueError(f"sensitivity {sensitivity!r} must be positive")
    k = sensitivity * (1.0 + AGITATION_WIDENING * agitation)
    return Radii(HALL_INTIMATE_M * k, HALL_PERSONAL_M * k, HALL_SOCIAL_M * k)


@kernel
def directional_factor(cos_bearing, back_factor=BACK_FACTOR):
    """How much wider a zone is at a bearing than in front: 1 ahead, `back_factor` behind.

    `cos_bearing` is the cosine of the angle between the person's heading and
    the direction to the other person; the zone's edge is a smooth egg shape.
    """
    return 1.0 + (back_factor - 1.0) * (1.0 - cos_bearing) / 2.0


@kernel
def intrusion_depth(d_row, d_col, head_row, head_col, personal_m, back_factor):
    """How deeply B stands inside A's personal zone, 0 outside .. 1 at contact.

    (d_row, d_col): metres from A to B; (head_row, head_col): A's heading (any length; zero: no
    heading, the zone is round at its front width); `personal_m`: A's personal radius in front.
    """
    dist = np.hypot(d_row, d_col)
    h_norm = np.hypot(head_row, head_col)
    cos = 1.0 if dist == 0 or h_norm == 0 else (d_row * head_row + d_col * head_col) / (dist * h_norm)
    edge = personal_m * directional_factor(cos, back_factor)
    return min(max(1.0 - dist / edge, 0.0), 1.0)


def hall_zone(distance_m: float, radii: Radii | None = None) -> str:
    """Which of Hall's zones a distance falls in: intimate, personal, social or public."""
    r = radii or Radii(HALL_INTIMATE_M, HALL_PERSONAL_M, HALL_SOCIAL_M)
    if distance_m < 0:
        raise ValueError(f"distance {distance_m!r} must not be negative")
    if distance_m < r.intimate_m:
        return "intimate"
    if distance_m < r.personal_m:
        return "personal"
    if distance_m < r.social_m:
        return "social"
    return "public"
