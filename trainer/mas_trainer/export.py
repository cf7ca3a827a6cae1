"""`python -m mas_trainer export <run-dir> [--step N] --out <dir> [--force]`: one folder per agent of a run, copied
from a complete checkpoint, that other tools load as they are (issue 13 item 6):

- a LoRA agent: a PEFT adapter folder (adapter_config.json + adapter_model.safetensors) for
  `PeftModel.from_pretrained(base, folder)`; its README.md names the base;
- an agent trained in full (`adapter: none`, `scratch` models included): a Hugging Face model folder (config.json +
  model.safetensors + the tokenizer files) for `AutoModelForCausalLM.from_pretrained(folder)`.

The run directory is untrusted and only read: its run.json is checked, every file copied is checked against the
checkpoint's sha256, no link is followed (checkpoint.read_verified). Everything is written under --out only: into a
temp folder there, then renamed into place; a non-empty --out is refused unless --force, and even then only the
agents' folders are replaced, never through a link.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass

from .checkpoint import list_checkpoints, read_verified
from .errors import EXIT_BAD_ARGS, EXIT_RESUME_FAILED, EXIT_RUN_DIR, MasError
from .policy_files import agent_folder, agent_unit
from .rundir.files import fsync_dir
from .rundir.layout import CHECKPOINT_FILES, TEMP_PREFIX, checkpoint_name
from .rundir.run_json import read_previous_run
from .rundir.safe_paths import check_run_dir, create_new, is_plain_name
from .spec import RunSpec, parse_spec


@dataclass
class Exported:
    agent: str
    folder: str
    kind: str  # "adapter" or "model"


def _spec(run_dir: str) -> RunSpec:
    if not os.path.isdir(run_dir):
        raise MasError(f"{run_dir} is not a folder: give the run directory (runs/<name>)", EXIT_RUN_DIR)
    check_run_dir(run_dir)  # links where the trainer writes: exit 7, nothing read through them
    run = read_previous_run(run_dir)
    if run is None:
        raise MasError(f"{run_dir} has no run.json: it is not a run directory the trainer wrote", EXIT_RUN_DIR)
    try:
        return parse_spec(run["spec"])
    except MasError as err:
        raise MasError(f"the spec in {run_dir}'s run.json is not one this trainer reads: {err}", EXIT_RUN_DIR) from None


def _step(run_dir: str, step: int | None) -> int:
    steps = list_checkpoints(run_dir)
    if step is None:
        if not steps:
            raise MasError(f"{run_dir} has no checkpoint yet: train until one is written", EXIT_RESUME_FAILED)
        return steps[0]
    if step not in steps:
        have = ", ".join(str(s) for s in sorted(steps)) or "none"
        raise MasError(f"{run_dir} has no checkpoint of step {step} (steps: {have})", EXIT_BAD_ARGS)
    return step


def _check_out(out: str, force: bool) -> None:
    st = os.lstat(out) if os.path.lexists(out) else None
    if st is None:
        return
    if not stat.S_ISDIR(st.st_mode):
        raise MasError(f"--out {out} is not a folder (a file or a link): choose a new folder", EXIT_BAD_ARGS)
    if os.listdir(out) and not force:
        raise MasError(
            f"--out {out} is not empty: choose an empty or new folder, or pass --force to replace the agents' "
            "folders in it",
            EXIT_BAD_ARGS,
        )


def _readme(spec: RunSpec, agent, step: int, kind: str, run_dir: str) -> str:
    model = spec.model(agent.model)
    source = model.source
    base = (
        f'hf "{source.id}"' if source.kind == "hf" else f"scratch (a {source.layers}-layer Llama, character vocabulary)"
    )
    lines = [
        f"# {agent.name}",
        "",
        f"Agent `{agent.name}` of the workflow `{spec.workflow}` (model `{model.name}`: {base}),",
        f"trained by MAS Studio; weights of step {step} of the run {os.path.abspath(run_dir)}.",
        "",
    ]
    if kind == "adapter":
        lines += [
            f"A LoRA adapter (peft). Base model: {base}.",
            "",
            "```python",
            "from peft import PeftModel",
            "from transformers import AutoModelForCausalLM",
            "",
            f'base = AutoModelForCausalLM.from_pretrained("{source.id if source.kind == "hf" else "<base>"}")',
            'model = PeftModel.from_pretrained(base, "<this folder>")',
            "```",
        ]
        if source.kind == "scratch":
            lines += [
                "",
                "The base is a `scratch` model: its random initialisation is not stored in the run, so this adapter",
                "loads only onto the same initialisation (train with `adapter: none` to export a whole model).",
            ]
    else:
        lines += [
            "A whole model (config, weights, tokenizer):",
            "",
            "```python",
            "from transformers import AutoModelForCausalLM, AutoTokenizer",
            "",
            'model = AutoModelForCausalLM.from_pretrained("<this folder>")',
            'tokenizer = AutoTokenizer.from_pretrained("<this folder>")',
            "```",
        ]
    return "\n".join(lines) + "\n"


def _write(folder: str, name: str, data: bytes) -> None:
    with os.fdopen(create_new(os.path.join(folder, name)), "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _replace(out: str, tmp: str, final: str) -> None:
    st = os.lstat(final) if os.path.lexists(final) else None
    if st is not None:
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            raise MasError(
                f"{final} is a link or a file, not an exported folder: remove it or choose --out", EXIT_BAD_ARGS
            )
        shutil.rmtree(final)  # fd-based on Linux: a link inside is unlinked, never followed
    os.replace(tmp, final)
    fsync_dir(out)


def export_run(run_dir: str, out: str, step: int | None = None, force: bool = False) -> tuple[int, list[Exported]]:
    spec = _spec(run_dir)
    step = _step(run_dir, step)
    _check_out(out, force)
    for agent in spec.agents:
        if not is_plain_name(agent.name) or agent.name.startswith((TEMP_PREFIX, ".")):
            raise MasError(
                f"the run.json of {run_dir} names an agent {agent.name!r:.60}, not a folder name", EXIT_RUN_DIR
            )
    trained = [a for a in spec.agents if not a.frozen]  # a frozen agent has no weights of its own in a checkpoint
    folders = {a.name: agent_folder(spec, a) for a in trained}
    try:
        files = read_verified(
            run_dir, step, lambda name: any(os.path.dirname(name) == folder for folder in folders.values())
        )
    except (OSError, ValueError) as err:
        raise MasError(
            f"checkpoint {checkpoint_name(step)} of {run_dir} cannot be exported: {str(err)[:300]}; choose another "
            "--step",
            EXIT_RESUME_FAILED,
        ) from None
    os.makedirs(out, exist_ok=True)
    exported = []
    for agent in trained:
        folder = folders[agent.name]
        names = {n.rsplit("/", 1)[1]: data for n, data in files.items() if os.path.dirname(n) == folder}
        kind = "model" if agent_unit(spec, agent)[1] is None else "adapter"
        needed = CHECKPOINT_FILES["modelWeights" if kind == "model" else "adapterWeights"]
        if needed not in names:
            raise MasError(
                f"checkpoint {checkpoint_name(step)} has no {folder}/{needed} for agent `{agent.name}` (was it written "
                "by another trainer version?)",
                EXIT_RESUME_FAILED,
            )
        tmp = os.path.join(out, f"{TEMP_PREFIX}{agent.name}-{os.getpid()}")
        os.mkdir(tmp)
        final = os.path.join(out, agent.name)
        try:
            for name, data in sorted(names.items()):
                _write(tmp, name, data)
            _write(tmp, "README.md", _readme(spec, agent, step, kind, run_dir).encode("utf-8"))
            fsync_dir(tmp)
            _replace(out, tmp, final)
        except BaseException:  # a full disk or a stop: no half-written folder stays under --out
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        exported.append(Exported(agent.name, final, kind))
    return step, exported
