"""The training loop: batch of tasks -> G rollouts each -> rubric -> credit -> GRPO update -> run directory."""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np
import torch

from . import rng_state
from .api_agents import api_generate, build_api_models
from .chat import prompt_formats
from .checkpoint import load_latest, save_checkpoint
from .credit_reruns import step_rollouts
from .credit_step import check_credit, recorded_methods, step_credit
from .critic.hooks import (
    check_critic_named,
    export_after_checkpoint,
    make_critic,
    restore_critic,
    with_critic_methods,
)
from .data import load_dataset
from .dist import check_batch, init_from_env
from .early_stop import EarlyStop, describe
from .errors import EXIT_DEVICE_UNAVAILABLE, EXIT_RESUME_FAILED, EXIT_RUN_DIR, MasError
from .faults import fault_error, remove_partial_writes
from .generation import row_key, sample, sampling_params
from .judge_backends import ChatBackend
from .judges import JudgeRunner, make_judge_runner
from .memory_budget import resolve_micro_batch_tokens
from .metrics import step_metrics, trajectory_records
from .models import build_policies, trainable_parameters
from .policy_files import apply_unit_files, unit_files
from .resume import TRAINER_STATE, check_payload, optim_file, trainer_state
from .rewards import decisions, score_rollout
from .rollout import BatchedGenerate, GraphWalker
from .rundir import TensorBoardSink, open_logger, remove_temp_files
from .rundir.files import read_records
from .rundir.layout import METRICS, TRAJECTORIES, checkpoint_name, run_path
from .rundir.run_json import read_previous_run, run_json_record, write_run_json
from .rundir.safe_paths import check_run_dir, make_dir
from .rundir.steps import write_step
from .rundir.truncate import drop_steps_after
from .scoring_setup import make_scoring
from .spec import RunSpec
from .update import Decision, update
from .verifier_calls import Pool

TRAINER_VERSION = "0.1.0"


def resolve_device(requested: str) -> torch.device:
    if requested == "cuda" and not torch.cuda.is_available():
        raise MasError(
            "the spec asks for device cuda but no CUDA GPU is visible to PyTorch; set `device: cpu` "
            "or `auto`, or install a CUDA build of torch",
            EXIT_DEVICE_UNAVAILABLE,
        )
    if requested == "cpu":
        return torch.device("cpu")
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def task_order(n_rows: int, seed: int, step: int, batch: int) -> list[int]:
    """Row indices for a step: epochs of seeded permutations, a pure function of the step (resume-safe)."""
    indices = []
    for k in range(step * batch, (step + 1) * batch):
        epoch, offset = divmod(k, n_rows)
        perm = np.random.RandomState((seed * 1_000_003 + epoch) % (2**32)).permutation(n_rows)
        indices.append(int(perm[offset]))
    return indices


@dataclass
class RunOptions:
    run_dir: str
    resume: bool = False
    max_steps: int | None = None  # stop early after this many steps in this process (tests, benches)


class Trainer:
    def __init__(
        self,
        spec: RunSpec,
        options: RunOptions,
        verifier_pool: Optional[Pool] = None,
        judge_backends: Optional[Mapping[str, ChatBackend]] = None,
    ) -> None:
        self.spec, self.options = spec, options
        self.run_dir = options.run_dir
        check_credit(spec.train.credit.method, spec.train.credit.params)  # a critic's: by make_critic below
        check_critic_named(spec)
        if os.path.isdir(self.run_dir):
            check_run_dir(self.run_dir)  # links, hard links, FIFOs where the trainer writes: exit 7 before any write
        try:
            os.makedirs(self.run_dir, exist_ok=True)
            make_dir(run_path(self.run_dir, TRAJECTORIES))
        except OSError as err:
            raise fault_error(err) or MasError(
                f"cannot create the run directory {self.run_dir}: {err.strerror}", EXIT_RUN_DIR
            ) from None
        if not options.resume and os.path.exists(run_path(self.run_dir, METRICS)):
            raise MasError(
                f"{self.run_dir} already holds a run; pass --resume to continue it or choose a new --run-dir",
                EXIT_RUN_DIR,
            )
        self.device = resolve_device(spec.train.device)
        # The spec's token budget per forward, or the device's default; recorded in run.json and every metrics line.
        self.micro_batch_tokens = resolve_micro_batch_tokens(spec.train.micro_batch_tokens, self.device)
        self.dist = init_from_env(self.device)
        check_batch(spec.train.batch, self.dist)
        self.log = open_logger(self.run_dir, "trainer", write_file=self.dist.is_main)
        self.rows = load_dataset(next(d for d in spec.datasets if d.name == spec.train.dataset))
        # The reward, built as `rescore` builds it (scoring_setup): verifier calls run in a worker pool (tests inject
        # a fake one); a missing verifier file is exit 3 here.
        self.scoring = make_scoring(spec, self.log, verifier_pool)
        self.evaluator = self.scoring.evaluator
        torch.manual_seed(spec.train.seed)
        random.seed(spec.train.seed)
        self.policies, self.units = build_policies(spec, self.device, need_reference=spec.train.algorithm.kl > 0)
        tokenizers = {name: policy.tokenizer for name, policy in self.policies.items()}
        self.api_models = build_api_models(spec)  # agents on API models: no local weights, always frozen
        self.walker = GraphWalker(spec, self.evaluator, prompt_formats(spec, tokenizers))
        # Judge criteria: frozen models (a LoRA model's base shared with its agents, adapters off), answers cached in
        # the run directory; built after the policies so a scratch judge does not shift the policies' random init.
        self.scoring.judges = make_judge_runner(
            spec, self.run_dir, self.device, self.log, self.policies, judge_backends
        )
        self.optimizers, self.schedulers = {}, {}
        for unit in self.units:
            opt = torch.optim.AdamW(trainable_parameters(unit), lr=spec.train.lr, weight_decay=0.0)
            self.optimizers[unit.name] = opt
            self.schedulers[unit.name] = torch.optim.lr_scheduler.LambdaLR(opt, _warmup(spec.train.steps))
            unit.module.eval()
        self.started_at = time.time()
        self.step = 0
        # Stop (SIGTERM) handling, see request_stop: the step of the newest checkpoint, the RNG state at the last step
        # boundary (what a checkpoint of self.step holds), and whether a stop must wait for the step to be written.
        self.checkpointed_step = 0
        self.boundary_rng = rng_state.capture()
        self.defer_stop = False
        self.stop_requested = False
        self.early_stop = EarlyStop(spec.train.stop_when)
        self.stopped_early: str | None = None  # `success >= 0.99 for 10 steps at step 57` once stop_when ended the run
        self.methods = recorded_methods(spec.train.record_credit, spec.train.credit.method)
        self.critic = make_critic(spec, self.device, self.dist, self.methods, self.micro_batch_tokens)
        self.methods = with_critic_methods(spec, self.methods, self.critic)

    @property
    def judges(self) -> Optional[JudgeRunner]:
        """The judge criteria's runner (None without judges)."""
        return self.scoring.judges

    # ---- run.json and checkpoints -------------------------------------------------------------------
    def write_run_json(self, status: str, error: str | None = None) -> None:
        record = run_json_record(
            self.spec, status, error, self.started_at, self.step, TRAINER_VERSION, str(self.device), self.units
        )
        record["trainer"]["micro_batch_tokens"] = self.micro_batch_tokens
        if self.stopped_early is not None:
            record["stopped_early"] = self.stopped_early
        write_run_json(self.run_dir, record, self.log.warning)

    def _state_payload(self, rng: dict | None = None) -> dict[str, object]:
        payload = {}
        for unit in self.units:
            payload.update(unit_files(unit))  # safetensors in the layout of their source (policy_files.py)
            payload[optim_file(unit)] = {
                "optimizer": self.optimizers[unit.name].state_dict(),
                "scheduler": self.schedulers[unit.name].state_dict(),
            }
        payload[TRAINER_STATE] = trainer_state(self.step, rng)  # JSON: nothing in a checkpoint needs unpickling
        if self.critic is not None:
            payload["critic.pt"] = self.critic.state_dict()
        return payload

    def checkpoint(self, rng: dict | None = None) -> None:
        folder = save_checkpoint(self.run_dir, self.step, self._state_payload(rng))
        self.checkpointed_step = self.step
        self.log.info("checkpoint %s", folder)
        export_after_checkpoint(self.critic, self.run_dir, self.step, self.log)

    def restore(self) -> None:
        previous = read_previous_run(self.run_dir)  # checked before anything in the run directory changes
        if previous is not None:
            self.started_at = previous["started_at"]  # a resumed run keeps the time it first started
        if self.dist.is_main:
            remove_temp_files(self.run_dir)
        # Load and check first, delete after: a malformed checkpoint costs no record (exit 8 or an older one).
        found = load_latest(
            self.run_dir, self.log.warning, check_payload(self.units, self.optimizers, self.schedulers, self.critic)
        )
        if found is None:
            self.log.warning("--resume: no checkpoint in %s yet, starting at step 0", self.run_dir)
            if self.dist.is_main:
                drop_steps_after(self.run_dir, 0, self.log.warning)
            return
        step, payload = found
        try:
            self._apply_checkpoint(payload)
        except (ValueError, KeyError, TypeError, RuntimeError) as err:  # e.g. an optimizer state of another shape
            raise MasError(
                f"checkpoint {checkpoint_name(step)} does not fit this run ({type(err).__name__}: "
                f"{str(err)[:200]}); start a new run directory without --resume",
                EXIT_RESUME_FAILED,
            )
        self.step = self.checkpointed_step = step
        self.boundary_rng = rng_state.capture()
        # The stop_when streak of the steps this resume keeps (records after the checkpoint are redone).
        kept = read_records(run_path(self.run_dir, METRICS), self.log.warning)
        self.early_stop.replay(
            r for r in kept if isinstance(r, dict) and isinstance(r.get("step"), int) and r["step"] <= step
        )
        if not self.dist.is_main:
            return
        # Steps logged after this checkpoint are redone: drop their records so none is repeated.
        dropped = drop_steps_after(self.run_dir, step, self.log.warning)
        self.log.info("resumed from %s (%d later metrics records dropped)", checkpoint_name(step), dropped)

    def _apply_checkpoint(self, payload: dict) -> None:
        for unit in self.units:
            apply_unit_files(unit, payload)
            state = payload[optim_file(unit)]
            self.optimizers[unit.name].load_state_dict(state["optimizer"])
            self.schedulers[unit.name].load_state_dict(state["scheduler"])
        restore_critic(self.critic, payload, self.run_dir, self.log)
        rng_state.restore(payload[TRAINER_STATE]["rng"])

    # ---- one step -----------------------------------------------------------------------------------
    def _generate(self, agent, prompts, keys):
        return self._generate_many([(agent, prompts, keys)])[0]

    def _generate_many(self, requests):
        """Samples each request's rows (agent, prompts, (rollout, turn) keys). The requests of agents on one unit run
        in one batch: the same weights, or their own adapters on one base (peft mixed adapters); a row's tokens are
        the same either way."""
        by_unit: dict[str, list[int]] = {}
        results: list = [None] * len(requests)
        for i, (agent, prompts, _) in enumerate(requests):
            if agent.model in self.api_models:
                results[i] = api_generate(self.spec, self.api_models[agent.model], agent, prompts)
            else:
                by_unit.setdefault(self.policies[agent.name].unit.name, []).append(i)
        for indices in by_unit.values():
            group = [self.policies[requests[i][0].name] for i in indices]
            # Several adapters, or a frozen agent (adapters disabled: peft's __base__) on a unit with adapters.
            mixed = len({p.adapter for p in group}) > 1 or any(p.frozen and p.unit.has_adapters for p in group)
            rows = [(requests[i][0], p, k) for i in indices for p, k in zip(requests[i][1], requests[i][2])]
            policy = group[0]
            samples = sample(
                policy.unit.module if mixed else policy.activate(),
                policy.tokenizer,
                [prompt for _, prompt, _ in rows],
                [sampling_params(agent) for agent, _, _ in rows],
                [row_key(self.spec.train.seed, self.step, rollout, turn) for _, _, (rollout, turn) in rows],
                policy.unit.context,
                self.device,
                # peft's name for "no adapter" is __base__: frozen agents on a LoRA model act with the base weights
                adapter_names=[self.policies[a.name].adapter or "__base__" for a, _, _ in rows] if mixed else None,
            )
            for i in indices:
                taken, samples = samples[: len(requests[i][1])], samples[len(requests[i][1]) :]
                results[i] = [(s.prompt_ids, s.token_ids, s.logprobs, s.text) for s in taken]
        return results

    def _rollouts(self) -> tuple[list, float]:
        """This process's share of the step's tasks (whole groups), each run G times over the graph."""
        spec, group = self.spec, self.spec.train.algorithm.group
        tasks = [self.rows[i] for i in task_order(len(self.rows), spec.train.seed, self.step, spec.train.batch)]
        local = spec.train.batch // self.dist.world
        tasks = tasks[self.dist.rank * local : (self.dist.rank + 1) * local]
        started = time.time()
        with torch.no_grad():
            states = step_rollouts(
                self.walker,
                tasks,
                group,
                spec.train.credit.method,
                spec.train.credit.params,
                self.methods,
                BatchedGenerate(self._generate, self._generate_many),
                lambda s: (
                    score_rollout(
                        s, self.scoring.rubric, self.scoring.level, self.evaluator, self.scoring.judges
                    ).reward
                ),
                spec.train.seed,
                self.step,
                first_key=self.dist.rank * local * group,
            )
        return states, time.time() - started

    def _credit(self, states: list, scores: list) -> dict[str, list[list[float]]]:
        """Credit per decision for the training estimator and the recorded ones, over the step's groups (pooled
        across processes where the estimator pools over the batch)."""
        group, credit_spec = self.spec.train.algorithm.group, self.spec.train.credit
        gather = self.dist.gather if self.dist.enabled else None
        return {
            m: step_credit(
                m,
                states,
                scores,
                group,
                credit_spec.params if m == credit_spec.method else {},
                gather,
                self.dist.rank,
                critic=self.critic,
                level=self.spec.reward.level,
            )
            for m in self.methods
        }

    def train_step(self) -> tuple[dict, list[dict]]:
        spec = self.spec
        states, rollout_s = self._rollouts()
        scores = self.scoring.score(states)  # the step's verifier calls first, on all workers at once
        credits = self._credit(states, scores)
        batch = [
            Decision(
                turn.agent, turn.prompt_token_ids, turn.token_ids, turn.logprobs, c, spec.agent(turn.agent).temperature
            )
            for state, credit in zip(states, credits[spec.train.credit.method])
            for turn, c in zip(decisions(state), credit)
            if turn.index >= state.shared_turns and not turn.frozen
        ]  # a tree rollout's shared turns train once, in its parent; a frozen agent's turns never train
        started = time.time()
        self.defer_stop = True  # from here until the step is written, a stop waits (request_stop)
        stats = update(
            self.units,
            self.policies,
            self.optimizers,
            self.schedulers,
            batch,
            spec.train.algorithm.clip,
            spec.train.algorithm.kl,
            self.device,
            self.dist,
            micro_batch_tokens=self.micro_batch_tokens,
        )
        update_s = time.time() - started
        self.step += 1
        if self.dist.enabled:  # rank 0 records every process's rollouts
            states, scores = self.dist.gather(states), self.dist.gather(scores)
            credits = {m: self.dist.gather(v) for m, v in credits.items()}
        lr = self.schedulers[self.units[0].name].get_last_lr()[0] if self.units else spec.train.lr
        record = step_metrics(
            self.step,
            states,
            scores,
            credits[spec.train.credit.method],
            stats,
            (rollout_s, update_s),
            lr,
            self.device,
            spec.train.algorithm.group,
            self.micro_batch_tokens,
        )
        verifier_errors = self.scoring.end_batch()
        if verifier_errors is not None:  # this process's failed calls per verifier (rank 0's under torch.distributed)
            record["verifier_errors"] = verifier_errors
        if self.scoring.judges is not None:  # this process's judge failures per judged criterion
            record["judge_errors"] = self.scoring.judges.end_step()
        return record, trajectory_records(self.step, states, scores, credits, spec.train.algorithm.group)

    def run(self) -> None:
        try:
            if self.options.resume:
                self.restore()
        except MasError:
            raise  # resume refused (exit 8): run.json stays as the last run left it
        except Exception as err:
            self._fail_on_fault(err)
            raise
        main = self.dist.is_main
        tb = None
        try:
            if main:
                self.write_run_json("running")
                tb = TensorBoardSink(self.run_dir)
            self.log.info(
                "training %s on %s from step %d to %d",
                self.spec.workflow,
                self.device,
                self.step,
                self.spec.train.steps,
            )
            self._train_steps(main, tb)
            if main:
                done = self.step >= self.spec.train.steps or self.stopped_early is not None
                self.write_run_json("finished" if done else "stopped")
        except MasError as err:  # the editor reads run.json: a stopped run must not stay "running"
            self._record_failure(str(err))
            raise
        except KeyboardInterrupt:  # Ctrl-C or the editor's stop: resumable, and no finished step is lost
            if main:
                self.write_run_json("stopped", "interrupted")
                self._checkpoint_on_stop()
            raise
        except Exception as err:
            self._fail_on_fault(err)
            # a bug: the traceback, exit 1; run.json must not go on saying `running` for a process that is gone
            self._record_failure(
                f"the trainer crashed ({type(err).__name__}: {str(err)[:200]}); the traceback is "
                "in the trainer's output"
            )
            raise
        finally:
            if tb is not None:
                tb.close()
            self.scoring.close()
        self.dist.barrier()

    def request_stop(self) -> None:
        """SIGTERM (the editor's Stop). During a rollout, stop at once: the weights are still those of self.step.
        From the update until the step is written, finish the step first, so that the weights, the records and the
        stop checkpoint agree (an update interrupted half-way would leave some units a step ahead)."""
        if self.defer_stop:
            self.stop_requested = True
            return
        raise KeyboardInterrupt

    def _checkpoint_on_stop(self) -> None:
        """A stop saves the last finished step unless it is already checkpointed (B7: with checkpoint_every 50, a
        40-step run stopped by the user could not be resumed). Single process only: under torch.distributed every
        rank would have to take part. A second SIGTERM during the save waits for it (defer_stop)."""
        if self.dist.enabled or self.step <= self.checkpointed_step:
            return
        self.defer_stop = True
        try:
            self.checkpoint(self.boundary_rng)
        finally:
            self.defer_stop = False

    def _train_steps(self, main: bool, tb) -> None:
        done_here = 0
        while self.step < self.spec.train.steps:
            if self.options.max_steps is not None and done_here >= self.options.max_steps:
                break
            # boundary_rng already holds this step boundary's state: captured at the end of the previous step, or by
            # __init__ / restore before the first one.
            record, traj = self.train_step()  # sets defer_stop before its update
            done_here += 1
            if main:
                self._write_step(record, traj, tb)
            self.boundary_rng = rng_state.capture()
            # every rank holds the same gathered record, so under torch.distributed all ranks stop at the same step
            if self.early_stop.observe(record):
                self._stop_early(main)  # a Stop arriving meanwhile is moot: the run ends finished after this step
                return
            self.defer_stop = False
            if self.stop_requested:
                raise KeyboardInterrupt

    def _stop_early(self, main: bool) -> None:
        """stop_when held for its steps: checkpoint this step (unless it already is) and say why the run ends."""
        assert self.spec.train.stop_when is not None
        self.stopped_early = f"{describe(self.spec.train.stop_when)} at step {self.step}"
        if main and self.step > self.checkpointed_step:
            self.checkpoint()
        self.defer_stop = False
        self.log.info("stopped early: %s", self.stopped_early)

    def _write_step(self, record: dict, traj: list, tb) -> None:
        # Order matters for resume: trajectories, then metrics, then the checkpoint.
        write_step(self.run_dir, self.step, record, traj, self.log.warning)
        tb.log(self.step, {k: v for k, v in record.items() if isinstance(v, (int, float))})
        self.log.info(
            "step %d reward %.3f success %.2f loss %.4f",
            self.step,
            record["reward_mean"],
            record["success"],
            record["loss"],
        )
        every = max(1, self.spec.train.checkpoint_every)
        if self.step % every == 0 or self.step == self.spec.train.steps:
            self.checkpoint()

    def _fail_on_fault(self, err: Exception) -> None:
        """Out of memory or a full disk: record it and raise the documented error; anything else returns."""
        error = fault_error(err, self.micro_batch_tokens)
        if error is None:
            return
        self.log.error("%s: %s", type(err).__name__, err)
        self._record_failure(str(error))
        raise error from None

    def _record_failure(self, error: str) -> None:
        """run.json says `failed` with the error, and no half-written temp file or checkpoint folder stays."""
        if not self.dist.is_main:
            return
        remove_partial_writes(self.run_dir)
        try:
            self.write_run_json("failed", error)
        except OSError as err:  # the disk may still be full: the exit code and stderr still say what happened
            self.log.error("could not record the failure in run.json: %s", err)


def _warmup(total_steps: int):
    warm = max(1, min(10, total_steps // 10))
    return lambda s: min(1.0, (s + 1) / warm)
