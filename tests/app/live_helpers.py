"""Helpers for the live ward's tests: the page rendered without a browser, read as data."""

import time
from html.parser import HTMLParser


def settled(read, sleep, timeout: float = 60.0, quiet: float = 2.0) -> int:
    """What `read` gives once it has stopped changing for `quiet` seconds (after Pause, like NetLogo's
    go, a frame under way still finishes, and on a loaded machine a frame can take over a second)."""
    last, deadline = read(), time.monotonic() + timeout
    still_since = time.monotonic()
    while time.monotonic() < deadline:
        sleep(0.4)
        now = read()
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            return now
    raise AssertionError(f"still changing after Pause: {last}")


class _Cells(HTMLParser):
    """The text of each cell of each row of an HTML table."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """What a table shows, row by row: the text of its cells (markup and styling left out)."""
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def table_dict(html: str) -> dict[str, str]:
    """A two-column table of names and values, as a dict."""
    return dict(table_rows(html))


class Rendered:
    """The page rendered by solara, with the handles a test needs."""

    def __init__(self, **kwargs):
        import ipyvuetify as v
        import solara

        from milieusim.app import App

        self.v = v
        self.box, self.rc = solara.render(App(**kwargs), handle_error=False)

    def button(self, label):
        return next(w for w in self.rc.find(self.v.Btn).widgets if label in w.children)

    def clock(self) -> str:
        return self.rc.find(self.v.Html, class_="milieusim-clock").widget.children[0]

    def select(self, label):
        return next(w for w in self.rc.find(self.v.Select).widgets if w.label == label)

    def html(self, cls) -> str:
        import solara.widgets

        (widget,) = [w for w in self.rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == cls]
        return widget.unsafe_innerHTML

    def seed(self):
        return next(w for w in self.rc.find(self.v.TextField).widgets if w.label.startswith("seed"))

    def type_seed(self, text: str):
        box = self.seed()
        box.v_model = text
        box.fire_event("keyup.enter", None)  # the box takes its text on Enter (or leaving it)

    def alerts(self) -> list[str]:
        return [" ".join(map(str, w.children)) for w in self.rc.find(self.v.Alert).widgets]

    def plan(self) -> bytes:
        import ipywidgets

        (widget,) = [w for w in self.rc.find(ipywidgets.Image).widgets if "milieusim-plan" in w._dom_classes]
        return bytes(widget.value)

    def table(self, cls) -> dict[str, str]:
        """A table of names and values on the page, as what it shows."""
        return table_dict(self.html(cls))
