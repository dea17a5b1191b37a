"""The live ward: the model running in a browser page (Solara), for teaching.

Components:
- `live`: the page's choices made into a run (`Setup`, `LiveWard`), stepped and observed; no solara.
- `drawing`: the plan with its people, and the live plots, as pictures.
- `page`: the Solara page (`App`, and `Page` for the server).
- `server`: `serve`, behind `milieusim app`.

In a notebook, ``from milieusim.app import App`` then ``App()`` (or
``App(layout="cluster", preset="us_acute", seed="3")``) shows the same page in
the output cell.
"""


def __getattr__(name: str):
    # Solara reads its settings when first imported: `server.serve` sets them first, so the page
    # (which imports solara) is imported only when asked for.
    if name in ("App", "Page"):
        from milieusim.app import page

        return getattr(page, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
