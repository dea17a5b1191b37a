"""`milieusim app`: a bad start, a missing extra or a taken port is one clear message."""

import socket

import pytest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "milleu"], "error: unknown preset 'milleu'; valid: default, custodial, milieu"),
        (
            ["--layout", "nowhere"],
            "error: changes: ward.layout: no layout file ",
        ),
        (["--seed", "-3"], "error: argument --seed: '-3': give a whole-number seed"),
        (
            ["--layout", "cluster", "--furniture", "sociopetal"],
            "ward.furniture: layout 'cluster' has no furniture variant 'sociopetal'; variants: standard",
        ),
        (["--port", "70000"], "error: argument --port: '70000': give a port number from 0 to 65535"),
    ],
)
def test_app_command_rejects_a_bad_start(args, message, capsys):
    from milieusim.cli import main

    try:
        status = main(["app", *args])
    except SystemExit as exc:  # an option's value is refused as it is parsed
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and len(err.splitlines()) == 1


def test_app_command_names_what_to_install(monkeypatch, capsys):
    import importlib.util

    from milieusim.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "solara" else real(name, *a)
    )
    assert main(["app"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: the live ward needs solara: install milieusim with its app extra"
    )


def test_app_command_rejects_a_taken_port(capsys):
    from milieusim.cli import main

    with socket.create_server(("localhost", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot serve on localhost:{port}: ")
