"""Command line: `python -m mas_trainer run --spec spec.json|- --run-dir DIR [--resume]`, `check-env`,
`export RUN_DIR [--step N] --out DIR [--force]` and `rescore RUN_DIR [RUN_DIR ...] --spec spec.json|- [--steps A..B]`.

Exit codes: trainer/README.md (mas_trainer/errors.py).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import signal
import sys

from .errors import EXIT_BAD_ARGS, MasError
from .faults import fault_error
from .strict_json import dumps


def check_env() -> dict:
    info = {"python": platform.python_version(), "torch": None, "cuda_available": False, "gpus": []}
    try:
        import torch
    except ImportError:
        return info
    info["torch"] = torch.__version__
    info["cuda_available"] = torch.cuda.is_available()
    if info["cuda_available"]:
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            info["gpus"].append({"name": props.name, "memory_mb": props.total_memory // 2**20})
    try:
        import peft
        import transformers

        info["transformers"], info["peft"] = transformers.__version__, peft.__version__
    except ImportError:
        pass
    info["packages"] = package_versions(TRAINER_PACKAGES)
    info["optional"] = package_versions(OPTIONAL_PACKAGES)
    return info


# Every runtime dependency of trainer/pyproject.toml besides torch (reported on its own, with CUDA): the editor names
# each one that is missing instead of only torch (first-hour finding: the check named torch but not numpy or onnx).
TRAINER_PACKAGES = ("transformers", "peft", "safetensors", "numpy", "onnx", "sympy", "jsonschema")


def package_versions(names: tuple[str, ...]) -> dict[str, str | None]:
    """Installed version of each package, None where it is missing (read from metadata, nothing imported)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# Optional extras a run works without (pyproject's `tensorboard` extra): reported apart so the editor advises, never
# refuses. TS twin: FEATURE_PACKAGES (client/src/training/trainer-requirements.ts).
OPTIONAL_PACKAGES = ("tensorboard",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mas_trainer")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="train a compiled workflow")
    run.add_argument("--spec", required=True, help="RunSpec JSON from `mas compile`, or - for stdin")
    run.add_argument("--run-dir", required=True, help="the run directory to write (runs/<name>)")
    run.add_argument("--resume", action="store_true", help="continue from the newest complete checkpoint")
    run.add_argument("--max-steps", type=int, default=None, help="stop after this many steps in this process")
    sub.add_parser("check-env", help="print Python, torch and GPU facts as JSON")
    export = sub.add_parser("export", help="write each agent's trained weights as a PEFT adapter or HF model folder")
    export.add_argument("run_dir", help="the run directory (runs/<name>)")
    export.add_argument("--step", type=int, default=None, help="the checkpoint's step (default: the newest)")
    export.add_argument("--out", required=True, help="the folder to write, one subfolder per agent")
    export.add_argument("--force", action="store_true", help="replace the agents' folders in a non-empty --out")
    rescore = sub.add_parser("rescore", help="score recorded rollouts with a spec's reward; JSON Lines on stdout")
    rescore.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="run directories (runs/<name>), read only")
    rescore.add_argument("--spec", required=True, help="the RunSpec whose reward scores them, or - for stdin")
    rescore.add_argument("--steps", default=None, help="the steps to re-score: A..B, A.., ..B or N (default: all)")
    return parser


def _rescore(args) -> int:
    from .rescore import RescoreOptions, parse_steps, rescore
    from .rescore.stream import Stream
    from .spec import load_spec

    options = RescoreOptions(args.run_dirs, parse_steps(args.steps))
    spec = load_spec(args.spec)

    def stop(_signum, _frame):
        raise KeyboardInterrupt  # the editor's cancel: end now, the worker pool shut down on the way out

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        rescore(spec, options, Stream())
    except BrokenPipeError:  # the reader went away (closed its end): a cancel, the pool already shut down
        sys.stdout = open(os.devnull, "w")  # nothing more reaches a closed pipe, not even at interpreter exit
        print("stopped: the reader of the output went away", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _export(args) -> int:
    from .export import export_run

    step, exported = export_run(args.run_dir, args.out, args.step, args.force)
    for item in exported:
        print(f"{item.agent}: {item.kind} folder {item.folder}", file=sys.stderr)
    agents = [{"agent": e.agent, "kind": e.kind, "folder": e.folder} for e in exported]
    print(dumps({"step": step, "out": args.out, "agents": agents})[0])  # the last line: the editor reads it
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_BAD_ARGS if exit_.code else 0
    try:
        if args.command == "check-env":
            print(dumps(check_env())[0])
            return 0
        if args.command == "export":
            return _export(args)
        if args.command == "rescore":
            return _rescore(args)
        from .spec import load_spec
        from .trainer import RunOptions, Trainer

        spec = load_spec(args.spec)
        trainer = Trainer(spec, RunOptions(args.run_dir, args.resume, args.max_steps))
        # The editor's "Stop Training" sends SIGTERM: end like Ctrl-C, so run.json says "stopped" (resumable) instead
        # of staying "running" for a process that is gone, with the last finished step checkpointed.
        previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: trainer.request_stop())
        try:
            trainer.run()
        finally:
            signal.signal(signal.SIGTERM, previous)
            trainer.dist.shutdown()
        return 0
    except MasError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:  # a stop the user asked for (Ctrl-C, the editor's Stop) is not an error
        print("stopped" if args.command == "rescore" else "stopped; continue with --resume", file=sys.stderr)
        return 130
    except Exception as err:  # out of memory or a full disk outside the training loop (building a model, a log)
        error = fault_error(err)
        if error is None:
            raise  # a bug: keep the traceback (exit 1)
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
