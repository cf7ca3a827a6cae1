"""The rollout engine: a pure walk over the agent graph, one turn at a time (tree rollouts and nulled re-runs for
credit estimators: credit_reruns.py).

`RolloutState` holds everything a trajectory depends on (task, latest outputs, turns, edge uses, next agent), so a
state can be copied and resumed. Replay from a frozen context = `rewind(state, k)` then keep stepping (the k-th
agent's message is resampled); nulling an agent = `nulled={name}` (its declared null behaviour replaces generation).
Generation is injected (`generate`), so the engine itself never touches a model. Prompt formats (chat.py) are given
per agent: a chat model's turn records the rendered text as `prompt` and the messages it came from.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from .chat import RAW, Messages, PromptFormat
from .expr import EvalContext, Evaluator
from .spec import AgentSpec, RunSpec

END = "end"


@dataclass
class Turn:  # TS twin: TurnRecord (protocol/run-dir.ts)
    index: int
    agent: str
    role: str
    model: str
    prompt: str
    output: str
    prompt_token_ids: list[int]
    token_ids: list[int]
    logprobs: list[float]
    started_at: float
    duration_ms: float
    nulled: bool = False  # produced by the null behaviour, not by the policy: not a trainable decision
    messages: Optional[Messages] = None  # chat models: [system,] user; `prompt` is then their rendered text
    frozen: bool = False  # the agent is declared frozen: acts, is never trained (its credit is never used)


@dataclass
class RolloutState:
    task: dict
    outputs: dict[str, str] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    edge_uses: dict[int, int] = field(default_factory=dict)
    next_agent: Optional[str] = None  # None before the walk starts; END when finished
    stop_reason: Optional[str] = None  # "end" | "no_edge" | "max_turns"
    nulled: frozenset = frozenset()
    key: int = 0  # the rollout's index in the global batch: seeds its sampling (with the turn index)
    visits: list[str] = field(default_factory=list)  # agents reached, in order (a skipped agent has no turn)
    # Tree rollouts (counterfactual credit): the sample in the group this one branched from, and how many leading
    # turns it shares with it (copies: trained once, in the parent). None / 0 for ordinary rollouts.
    parent: Optional[int] = None
    shared_turns: int = 0
    # Difference / Shapley credit: rewards of re-runs with some agents nulled (sorted names -> reward), and the
    # agent orders drawn for permutation Shapley. Filled by credit_reruns.run_nulled.
    counterfactuals: dict = field(default_factory=dict)
    permutations: Optional[list] = None
    # Value-assisted C3 credit: the critic's Q of each decision's prefix, output included (critic/q_values.py).
    decision_q: Optional[list] = None

    @property
    def done(self) -> bool:
        return self.next_agent == END

    def copy(self) -> "RolloutState":
        return copy.deepcopy(self)


# generate(agent, prompts, keys) -> list of (prompt_ids, token_ids, logprobs, text), one per prompt; keys are
# (rollout key, turn index) pairs so sampling can be seeded per rollout and turn
GenerateFn = Callable[
    [AgentSpec, list[str], list[tuple[int, int]]], list[tuple[list[int], list[int], list[float], str]]
]
GenerateRequest = tuple[AgentSpec, list[str], list[tuple[int, int]]]


@dataclass
class BatchedGenerate:
    """A GenerateFn that can also run the turns of several agents at once (`many(requests)` -> one result list per
    request), e.g. agents with their own adapters on one base in one forward. A plain GenerateFn is called once per
    agent instead."""

    one: GenerateFn
    many: Callable[[list[GenerateRequest]], list[list[tuple[list[int], list[int], list[float], str]]]]

    def __call__(self, agent: AgentSpec, prompts: list[str], keys: list[tuple[int, int]]):
        return self.one(agent, prompts, keys)


def _generate_all(generate: GenerateFn, requests: list[GenerateRequest]) -> list[tuple[list, float, float]]:
    """(results, started, duration_ms) per request: the turns of one batched call share its time."""
    if isinstance(generate, BatchedGenerate):
        started = time.time()
        results = generate.many(requests)
        duration_ms = (time.time() - started) * 1000.0
        return [(r, started, duration_ms) for r in results]
    timed = []
    for agent, prompts, keys in requests:
        started = time.time()
        results = generate(agent, prompts, keys)
        timed.append((results, started, (time.time() - started) * 1000.0))
    return timed


class GraphWalker:
    def __init__(
        self,
        spec: RunSpec,
        evaluator: Optional[Evaluator] = None,
        formats: Optional[dict[str, PromptFormat]] = None,
    ) -> None:
        self.spec = spec
        self.formats = formats or {}  # agent -> prompt format; raw when absent
        self.agents = {a.name: a for a in spec.agents}
        self.evaluator = evaluator or Evaluator()
        self.edges_from: dict[str, list[int]] = {}
        for i, e in enumerate(spec.edges):
            self.edges_from.setdefault(e.from_, []).append(i)

    def render(self, agent: AgentSpec, state: RolloutState) -> str:
        return fill_template(agent.prompt, state.task, state.outputs)

    def _advance(self, state: RolloutState, source: str) -> None:
        """Takes the first edge out of `source` whose condition holds and whose `max` is not used up."""
        context = EvalContext(task=state.task, outputs=state.outputs)
        for i in self.edges_from.get(source, []):
            edge = self.spec.edges[i]
            if edge.max is not None and state.edge_uses.get(i, 0) >= edge.max:
                continue
            if edge.condition is not None and self.evaluator.evaluate(edge.condition, context) is not True:
                continue
            state.edge_uses[i] = state.edge_uses.get(i, 0) + 1
            state.next_agent = edge.to
            if edge.to == END:
                state.stop_reason = "end"
            elif len(state.turns) >= self.spec.train.max_turns:
                state.next_agent, state.stop_reason = END, "max_turns"
            return
        state.next_agent, state.stop_reason = END, "no_edge"

    def start(self, task: dict, nulled: frozenset = frozenset(), key: int = 0) -> RolloutState:
        state = RolloutState(task=dict(task), nulled=frozenset(nulled), key=key)
        self._advance(state, "start")
        return state

    def step(self, states: list[RolloutState], generate: GenerateFn) -> list[RolloutState]:
        """One turn for every unfinished state, batched per agent. Returns new states; inputs are untouched."""
        new_states = [s if s.done else s.copy() for s in states]
        by_agent: dict[str, list[int]] = {}
        for i, s in enumerate(new_states):
            if not s.done:
                if s.next_agent is None:  # set by start()
                    raise RuntimeError("rollout: a state was stepped before start()")
                by_agent.setdefault(s.next_agent, []).append(i)
        prepared, requests = {}, []
        for name, indices in by_agent.items():
            agent = self.agents[name]
            prompt_format = self.formats.get(name, RAW)
            rendered = [prompt_format.render(self.render(agent, new_states[i])) for i in indices]
            prompts = [text for text, _ in rendered]
            messages = [m for _, m in rendered]
            live = [k for k, i in enumerate(indices) if name not in new_states[i].nulled]
            keys = [(new_states[indices[k]].key, len(new_states[indices[k]].turns)) for k in live]
            prepared[name] = (prompts, messages, live)
            if live:
                requests.append((agent, [prompts[k] for k in live], keys))
        generated = dict(zip((agent.name for agent, _, _ in requests), _generate_all(generate, requests)))
        for name, indices in by_agent.items():
            agent, (prompts, messages, live) = self.agents[name], prepared[name]
            outputs, started, duration_ms = generated.get(name, ([], time.time(), 0.0))
            results = dict(zip(live, outputs))
            for k, i in enumerate(indices):
                state = new_states[i]
                state.visits.append(name)
                if k in results:
                    prompt_ids, token_ids, logprobs, text = results[k]
                    self._record(
                        state,
                        agent,
                        prompts[k],
                        text,
                        prompt_ids,
                        token_ids,
                        logprobs,
                        started,
                        duration_ms,
                        nulled=False,
                        messages=messages[k],
                    )
                else:
                    self._apply_null(state, agent, prompts[k], started, messages[k])
                self._advance(state, name)
        return new_states

    def _record(
        self, state, agent, prompt, text, prompt_ids, token_ids, logprobs, started, duration_ms, nulled, messages=None
    ):
        state.turns.append(
            Turn(
                len(state.turns),
                agent.name,
                agent.role,
                agent.model,
                prompt,
                text,
                list(prompt_ids),
                list(token_ids),
                list(logprobs),
                started,
                duration_ms,
                nulled,
                messages,
                agent.frozen,
            )
        )
        state.outputs[agent.name] = text

    def _apply_null(
        self, state: RolloutState, agent: AgentSpec, prompt: str, started: float, messages: Optional[Messages] = None
    ) -> None:
        kind = agent.null_behaviour.get("kind", "empty")
        if kind == "skip":
            return  # the agent does not speak: no turn, outputs unchanged, the walk goes on
        text = agent.null_behaviour.get("text", "") if kind == "text" else ""
        self._record(state, agent, prompt, text, [], [], [], started, 0.0, nulled=True, messages=messages)

    def run(
        self, tasks: list[dict], generate: GenerateFn, nulled: frozenset = frozenset(), first_key: int = 0
    ) -> list[RolloutState]:
        states = [self.start(t, nulled, first_key + i) for i, t in enumerate(tasks)]
        return self.resume(states, generate)

    def resume(self, states: list[RolloutState], generate: GenerateFn) -> list[RolloutState]:
        while not all(s.done for s in states):
            states = self.step(states, generate)
        return states

    def rewind(self, state: RolloutState, n_turns: int) -> RolloutState:
        """The state just after the first `n_turns` turns (frozen context), rebuilt by replaying them."""
        fresh = self.start(state.task, state.nulled, state.key)
        turns = iter(state.turns[:n_turns])
        for agent in state.visits:
            if fresh.done or len(fresh.turns) >= n_turns:
                break
            fresh.visits.append(agent)
            if agent in state.nulled and self.agents[agent].null_behaviour.get("kind") == "skip":
                self._advance(fresh, agent)
                continue
            turn = next(turns)
            fresh.turns.append(copy.deepcopy(turn))
            fresh.outputs[turn.agent] = turn.output
            self._advance(fresh, turn.agent)
        return fresh


def fill_template(prompt: list[dict], task: Mapping[str, Any], outputs: Mapping[str, str]) -> str:
    """A compiled template (agent prompts, judge prompts): its text parts, `{{task.field}}` and `{{agent.output}}`
    holes filled from the task and the outputs so far (a missing one is empty)."""
    parts = []
    for part in prompt:
        if "text" in part:
            parts.append(part["text"])
            continue
        ref = part["ref"]
        if ref["op"] == "task":
            value = task.get(ref["field"])
            parts.append("" if value is None else _template_text(value))
        else:
            parts.append(outputs.get(ref["agent"], ""))
    return "".join(parts)


def _template_text(value) -> str:
    from .expr import to_string

    return to_string(float(value) if isinstance(value, int) and not isinstance(value, bool) else value)
