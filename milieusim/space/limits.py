"""How big a layout may be: checked before a file is read as TOML and before a plan is read cell by cell.

Geometry grows with the square of the plan (validating a 2000 x 2000 plan took 830 MB,
a 5000 x 5000 one 4.3 GB), so a plan over the limit is refused at once, with the limit
in the message (docs/layouts.md).
"""

from __future__ import annotations

from milieusim.validation import InputError, Problem

#: The largest plan, in cells each way: 200 m at 0.5 m cells, a whole hospital floor.
MAX_PLAN_SIDE = 400
#: The largest layout file: plans of the largest size with a dozen furniture variants fit.
MAX_FILE_BYTES = 4_000_000


def check_file_size(size: int, source: str) -> None:
    """Refuse a layout file of more than `MAX_FILE_BYTES` bytes.

    Raises:
        InputError: naming the size and the limits.
    """
    if size > MAX_FILE_BYTES:
        raise InputError(
            source,
            [
                Problem(
                    f"{size / 1e6:.1f} MB is too big for a layout file (at most {MAX_FILE_BYTES / 1e6:g} MB, "
                    f"plans up to {MAX_PLAN_SIDE} x {MAX_PLAN_SIDE} cells; docs/layouts.md)"
                )
            ],
        )


def plan_size_problem(rows: int, cols: int, cell_m: float, line: int | None) -> Problem | None:
    """Why a rooms plan of `rows` x `cols` cells is too big, or None."""
    if rows <= MAX_PLAN_SIDE and cols <= MAX_PLAN_SIDE:
        return None
    return Problem(
        f"plan is {rows} rows x {cols} cols; a plan has at most {MAX_PLAN_SIDE} x {MAX_PLAN_SIDE} cells "
        f"({MAX_PLAN_SIDE * cell_m:g} m at {cell_m:g} m a cell; a bigger cell_size_m covers more ground)",
        where="rooms plan",
        line=line,
    )
