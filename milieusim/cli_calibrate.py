"""`milieusim calibrate`: fit parameters to a ward's own figures by ABC-SMC (docs/calibration.md)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path


def add_parser(sub, workers_type) -> None:
    """The `calibrate` command."""
    p = sub.add_parser(
        "calibrate",
        help="fit parameters to a ward's figures (ABC-SMC): posterior, checks, a calibrated scenario",
        description="Calibrate the parameters a calibration file names to the targets of TARGETS "
        "(a targets file, or 'baseline' for the built-in targets of the baseline ward) by "
        "ABC-SMC, and write to --out the posterior (table and pair plot), each target against "
        "its posterior predictive, which parameters the targets identify, and calibrated.toml, "
        "a scenario file for run, sweep and compare. Every simulation is recorded: a stopped "
        "calibration continues with --resume.",
    )
    p.add_argument("targets", help="targets file (TOML), or a built-in name: baseline")
    p.add_argument(
        "--params", type=Path, required=True, help="calibration file: parameters, priors, base ward"
    )
    p.add_argument("--out", type=Path, required=True, help="results folder")
    p.add_argument(
        "--workers", type=workers_type, help="worker processes (default: one per CPU; 0: this process)"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (workers with one thread each)",
    )
    p.add_argument("--resume", action="store_true", help="continue a stopped calibration in --out")
    p.add_argument(
        "--draw",
        type=int,
        metavar="K",
        help="write draw K of the posterior sample to calibrated.toml, not the mean",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args) -> int:
    """Check the inputs, calibrate, then write and print the results."""
    try:
        import pyabc  # noqa: F401
    except ImportError as exc:
        raise ValueError(f"calibration needs pyabc: pip install 'milieusim[calibrate]' ({exc})") from exc
    from milieusim.calibration import load_setup
    from milieusim.calibration.calibrate import calibrate, check_targets
    from milieusim.calibration.posterior import write_results
    from milieusim.sweep import FolderInUse
    from milieusim.targets import load_targets
    from milieusim.validation import InputError, Problem
    from milieusim.viz.calibration import pair_figure, predictive_figure

    setup = load_setup(args.params)
    targets = load_targets(args.targets)
    check_targets(targets, setup, args.targets)
    logging.getLogger("ABC").setLevel(logging.WARNING)  # pyabc's own lines; ours say the same, shorter
    s = setup.settings
    fitted = sum(t.weight > 0 for t in targets)
    print(
        f"{s.name}: {len(setup.parameters)} parameter(s), {len(targets)} targets ({fitted} fitted), "
        f"population {s.population}, {s.replications} run(s) of {s.days} days per simulation -> {args.out}/",
        file=sys.stderr,
    )
    progress = None if args.quiet else _Progress(s.max_simulations)
    try:
        res = calibrate(
            setup,
            targets,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            on_candidate=progress,
        )
    except FolderInUse as exc:
        again = f"milieusim calibrate {args.targets} --params {args.params} --out {args.out} --resume"
        raise InputError(exc.source, [*exc.problems, Problem(f"continue it with  {again}")]) from exc
    except RuntimeError as exc:
        raise ValueError(f"{exc}; the recorded simulations are kept: continue with --resume") from exc
    print(
        f"{res.generations} generation(s) finished, counting {res.simulations} simulations; "
        f"{res.recorded} recorded ({res.ran_now} in this session, {res.seconds:.0f} s); "
        f"threshold {res.epsilon:.3g}"
    )
    if not res.complete:
        print(
            f"stopped before the end: continue with  milieusim calibrate {args.targets} "
            f"--params {args.params} --out {args.out} --resume"
        )
        return 130
    print(f"stopped: {res.stopped}")
    found = write_results(args.out, setup, targets, args.draw)
    post, tables = found["post"], found["tables"]
    paths = found["paths"]
    paths.append(pair_figure(post, setup.parameters, args.out / "posterior_pairs.png"))
    paths.append(predictive_figure(post, targets, args.out / "predictive.png"))
    _print_tables(tables)
    print(
        f"\nwrote {len(paths)} files to {args.out}/; the calibrated scenario: {args.out / 'calibrated.toml'}"
    )
    return 0


def _print_tables(tables) -> None:
    post = tables["posterior"]
    print("\nposterior (last generation): mean, sd, 95% interval; sd against the prior's")
    for r in post.itertuples():
        print(
            f"  {r.parameter:34s} {r.mean:9.4g} ± {r.sd:<8.3g} [{r.low_95:.4g}, {r.high_95:.4g}]  "
            f"prior {r.prior}, sd ratio {r.sd_ratio:.2f}: {r.reading}"
        )
    pred = tables["predictive"]
    met = (pred["verdict"] == "meets").sum()
    print(
        f"\ntargets against the posterior predictive (95% interval within the band: {met} of {len(pred)} met)"
    )
    for r in pred.itertuples():
        fitted = "" if r.weight > 0 else " (not fitted)"
        print(
            f"  {r.target:28s} observed {r.observed:<8.4g} band [{r.band_low:.4g}, {r.band_high:.4g}]  "
            f"model {r.median:.4g} [{r.low_95:.4g}, {r.high_95:.4g}]  {r.verdict}{fitted}"
        )


class _Progress:
    """One line per finished generation, and a running count on a terminal."""

    def __init__(self, budget: int):
        self.budget, self.tty = budget, sys.stderr.isatty()
        self.start = time.monotonic()
        self.count = 0

    def __call__(self, t, index, particle, accepted, n, epsilon) -> None:
        self.count += 1
        if self.tty:
            print(
                f"\r\033[Kgeneration {t}: {accepted}/{n} accepted of {index + 1} (threshold {epsilon:.3g})",
                end="",
                file=sys.stderr,
                flush=True,
            )
        if accepted == n and particle.accepted:
            minutes = (time.monotonic() - self.start) / 60
            rate = f"{self.count / minutes:.1f} simulations/min in this session" if minutes > 0 else ""
            print(
                ("\r\033[K" if self.tty else "") + f"generation {t}: {n} accepted of {index + 1} "
                f"(threshold {epsilon:.3g}); {rate}",
                file=sys.stderr,
                flush=True,
            )
