"""Pictures of the ward and of runs (matplotlib). Core code never imports this package.

Components:
- `plan`: the ward plan with zones, furniture and its facing, points, legend, scale bar, overlays.
"""
