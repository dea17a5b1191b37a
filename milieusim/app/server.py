"""Serving the live ward page on a port: Solara's server, run by uvicorn, with the page's assets local.

`milieusim app` calls `serve`. Solara reads its settings from the environment
when it is first imported, so `serve` sets them before that: the app to serve,
no usage reporting, the light theme, no banner, and a closed page's session
(with a run it left playing) ended after `CLOSED_PAGE_KEPT`. The page's
scripts, styles and fonts come from the `solara-assets` package (Solara serves
them from its asset cache under the environment's ``share/solara/cdn``), so the
page needs no network.
"""

from __future__ import annotations

import importlib.util
import os
import socket

from milieusim.app.live import Setup

#: Environment variables through which `serve` hands the page its starting setup.
ENV = {
    "layout": "MILIEUSIM_APP_LAYOUT",
    "preset": "MILIEUSIM_APP_PRESET",
    "furniture": "MILIEUSIM_APP_FURNITURE",
    "seed": "MILIEUSIM_APP_SEED",
}


#: How long the session of a closed page is kept for it to come back (a reload), before it ends.
CLOSED_PAGE_KEPT = "5m"


def page_defaults() -> dict[str, str]:
    """The starting layout, preset, furniture and seed `serve` was given (else none: the page's own)."""
    return {key: os.environ[var] for key, var in ENV.items() if var in os.environ}


def check_installed() -> None:
    """Fail clearly when the `app` extra (Solara and its assets) is not installed.

    Raises:
        ValueError: naming what to install.
    """
    missing = [
        name for name in ("solara", "solara_assets", "uvicorn") if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise ValueError(
            f"the live ward needs {', '.join(missing)}: install milieusim with its app extra "
            "(pip install -e '.[app]'; `make venv` does)"
        )


def usable_port(host: str, port: int) -> int:
    """`port` if it can be served on `host` now (0: a free port, chosen here).

    Raises:
        ValueError: a port outside 0-65535.
        OSError: the port is taken, or `host` is not an address of this machine.
    """
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is not a port number; valid: 1-65535, or 0 for any free port")
    try:
        with socket.create_server((host, port)) as sock:
            return sock.getsockname()[1]
    except OSError as exc:
        raise OSError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc


def serve(host: str = "localhost", port: int = 8765, setup: Setup | None = None) -> None:
    """Serve the live ward on http://host:port, starting from `setup`, until interrupted."""
    if setup is not None:
        for key, var in ENV.items():
            os.environ[var] = getattr(setup, key)
    os.environ["SOLARA_APP"] = "milieusim.app.page:Page"
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_THEME_VARIANT", "light")
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    os.environ.setdefault("SOLARA_THEME_TITLE", "milieusim: live ward")
    # a closed page's session (and a run it left playing) ends after this; Solara's default is a day
    os.environ.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", CLOSED_PAGE_KEPT)
    import uvicorn

    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
