"""Judge criteria (issue 16 item 3): the score parser on hostile answers, null + `judge_error` + the `judge_errors`
metric, the disk cache (hit, miss, torn, hostile), the spec checks, the local backend on a scratch model, the API
backend's interface through a fake, and two training steps of the lazy team with a judge criterion."""

import json
import logging
import os
from typing import Any

import pytest
import torch
from helpers import lazy_team_data

from mas_trainer.errors import SpecError
from mas_trainer.expr import EvalContext, Evaluator
from mas_trainer.judge_backends import LazyBackend, LocalChatModel, make_backend
from mas_trainer.judge_cache import CACHE_DIR, CACHE_FILE, JudgeCache, cache_key
from mas_trainer.judge_parse import MAX_SCANNED, parse_score
from mas_trainer.judges import make_judge_runner, render_prompt
from mas_trainer.rewards import rubric_value
from mas_trainer.rundir import read_records
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

LOG = logging.getLogger("test_judges")

JUDGE = {
    "model": "critic",
    "prompt": [{"text": "Rate the answer "}, {"ref": {"op": "output", "agent": "first"}}, {"text": " from 1 to 10."}],
    "scale": [1, 10],
    "max_tokens": 4,
}


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Score: 7", 7.0),
        ("10/10", 10.0),
        ("I'd say 7.5 out of 10", 7.5),
        ("no number here", None),
        ("", None),
        ("15, no: 8", 8.0),  # out of range first: passed over
        ("-3 then 4", 4.0),  # negative: out of range
        ("-3", None),
        ("11 12 0", None),
        ("x" * 1_000_000 + " 7", None),  # past the scanned prefix: never read
        ("<think>maybe 2</think> final: 9", 9.0),  # a thinking model's reasoning is skipped
        ("9" * 10_000, None),  # a huge digit run is no number in range
        ("1.5.2", 1.5),
    ],
)
def test_parse_score_reads_the_first_number_in_the_scale(answer, expected):
    assert parse_score(answer, 1, 10) == expected


def test_parse_score_reads_only_the_prefix():
    assert parse_score("." * (MAX_SCANNED - 2) + " 5", 1, 10) == 5.0
    assert parse_score("." * MAX_SCANNED + " 5", 1, 10) is None


class FakeChat:
    """A backend with ApiModel's `chat` interface: answers from a function of the user message; records batches."""

    def __init__(self, answer=lambda prompt: "Score: 8", fail=False):
        self.answer, self.fail, self.batches = answer, fail, []

    def chat(self, batch, *, max_tokens, temperature, stop=None):
        self.batches.append((batch, max_tokens, temperature))
        if self.fail:
            raise ConnectionError("endpoint down")
        return [self.answer(messages[-1]["content"]) for messages in batch]


def runner_for(spec, run_dir, **kwargs):
    runner = make_judge_runner(spec, run_dir, torch.device("cpu"), LOG, **kwargs)
    assert runner is not None
    return runner


def style_judge(spec):
    judge = spec.rubrics[0].criteria[-1].judge
    assert judge is not None
    return judge


def judged_data(judge=None, critic_source=None, extra_criterion=True):
    data = lazy_team_data()
    data["models"].append(
        {
            "name": "critic",
            "source": critic_source or {"kind": "scratch", "layers": 1, "hidden": 16, "heads": 2, "context": 64},
            "adapter": None,
        }
    )
    criteria = data["rubrics"][0]["criteria"] if extra_criterion else []
    data["rubrics"][0]["criteria"] = criteria + [{"name": "style", "weight": 0.3, "judge": dict(judge or JUDGE)}]
    return data


def test_judge_scores_normalised_and_failures_null_counted_logged(tmp_path, caplog):
    spec = parse_spec(judged_data())
    answers = {"good": "Score: 10", "bad": "I refuse"}
    fake = FakeChat(lambda p: answers["good" if "good" in p else "bad"])
    runner = runner_for(spec, str(tmp_path), backends={"critic": fake})
    rubric = spec.rubrics[0]
    contexts = [EvalContext(task={"a": "l", "b": "l"}, outputs={"first": o}) for o in ("good", "bad", "bad")]
    runner.prefetch(rubric.criteria, contexts)
    assert len(fake.batches) == 1 and len(fake.batches[0][0]) == 2  # one batch, each distinct prompt once
    errors: dict = {}
    with caplog.at_level(logging.WARNING):
        _, good = rubric_value(rubric, Evaluator(), contexts[0], errors, runner)
        _, bad = rubric_value(rubric, Evaluator(), contexts[1], errors, runner)
        rubric_value(rubric, Evaluator(), contexts[2], None, runner)
    assert good["style"] == 1.0 and bad["style"] == 0.0
    assert errors == {"style": "judge_error"}
    assert runner.end_step() == {"style": 2} and runner.end_step() == {"style": 0}
    logged = [r.getMessage() for r in caplog.records if "judge `style`" in r.getMessage()]
    assert len(logged) == 1 and "Rate the answer bad" in logged[0] and "I refuse" in logged[0]


def test_a_failing_judge_model_scores_null_and_the_run_goes_on(tmp_path):
    spec = parse_spec(judged_data())
    runner = runner_for(spec, str(tmp_path), backends={"critic": FakeChat(fail=True)})
    context = EvalContext(task={"a": "l", "b": "l"}, outputs={"first": "x"})
    runner.prefetch(spec.rubrics[0].criteria, [context])
    errors: dict = {}
    rubric_value(spec.rubrics[0], Evaluator(), context, errors, runner)
    assert errors["style"] == "judge_error" and runner.end_step() == {"style": 1}
    assert not os.path.exists(tmp_path / CACHE_DIR / CACHE_FILE)  # nothing cached for a failure


def test_second_scoring_is_answered_from_the_disk_cache(tmp_path):
    spec = parse_spec(judged_data())
    contexts = [EvalContext(task={"a": "l", "b": "l"}, outputs={"first": str(i)}) for i in range(5)]
    first = FakeChat(lambda p: "7")
    runner = runner_for(spec, str(tmp_path), backends={"critic": first})
    runner.prefetch(spec.rubrics[0].criteria, contexts)
    assert runner.calls == 5
    second = FakeChat(lambda p: "1")
    again = runner_for(spec, str(tmp_path), backends={"critic": second})
    again.prefetch(spec.rubrics[0].criteria, contexts + [EvalContext(outputs={"first": "new"})])
    assert again.calls == 1 and len(second.batches[0][0]) == 1  # only the new prompt is a miss
    assert again.score("style", style_judge(spec), contexts[0]) == pytest.approx(6 / 9)


def test_a_fully_cached_rescore_loads_no_model(tmp_path):
    spec = parse_spec(judged_data())
    contexts = [EvalContext(task={"a": "l", "b": "l"}, outputs={"first": str(i)}) for i in range(3)]
    first = runner_for(spec, str(tmp_path))
    first.prefetch(spec.rubrics[0].criteria, contexts)
    built = first.backends["critic"]
    assert first.calls == 3 and isinstance(built, LazyBackend) and built.loaded  # the scratch judge answered
    again = runner_for(spec, str(tmp_path))
    again.prefetch(spec.rubrics[0].criteria, contexts)
    scores = [again.score("style", style_judge(spec), c) for c in contexts]
    unused = again.backends["critic"]
    assert again.calls == 0 and isinstance(unused, LazyBackend) and not unused.loaded
    assert scores == [first.score("style", style_judge(spec), c) for c in contexts]


def test_one_runner_rescoring_two_runs_caches_each_in_its_own_run_dir(tmp_path):
    spec = parse_spec(judged_data())
    fake = FakeChat(lambda p: "4")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    runner = runner_for(spec, str(tmp_path / "a"), backends={"critic": fake})
    context = EvalContext(outputs={"first": "x"})
    runner.prefetch(spec.rubrics[0].criteria, [context])
    runner.use_run_dir(str(tmp_path / "b"))
    assert runner.cache_run_dir == str(tmp_path / "b")
    runner.prefetch(spec.rubrics[0].criteria, [context])
    assert runner.calls == 2  # run b had no answer cached yet: asked again, and cached there
    assert JudgeCache(str(tmp_path / "a")).answers == JudgeCache(str(tmp_path / "b")).answers != {}


def test_cache_key_changes_with_each_part():
    base: list[Any] = ["style", "hf:x", "prompt", "out", 4, 0.0]
    keys = {cache_key(*base)}
    for i, other in enumerate(("tone", "hf:y", "prompt!", "out2", 5, 0.5)):
        changed = list(base)
        changed[i] = other
        keys.add(cache_key(*changed))
    assert len(keys) == 7


def test_torn_and_hostile_cache_lines_are_ignored(tmp_path):
    good = cache_key("style", "m", "p", "", 4, 0.0)
    folder = tmp_path / CACHE_DIR
    folder.mkdir()
    lines = [
        json.dumps({"key": good, "answer": "Score: 9"}),
        "not json",
        json.dumps({"key": "../../etc", "answer": "1"}),
        json.dumps({"key": "a" * 64, "answer": {"__class__": "os.system"}}),
        json.dumps({"key": "b" * 64, "answer": "9" * 70_000}),
        json.dumps([1, 2, 3]),
        "[" * 100_000,
    ]
    (folder / CACHE_FILE).write_text("\n".join(lines) + '\n{"key": "' + "c" * 64 + '", "answ', encoding="utf-8")
    cache = JudgeCache(str(tmp_path), LOG)
    assert cache.answers == {good: "Score: 9"} and cache.ignored == 7
    cache.put_many([("d" * 64, "5")])
    reread = JudgeCache(str(tmp_path), LOG)  # the torn line did not swallow the new entry
    assert reread.get("d" * 64) == "5" and reread.get(good) == "Score: 9"


def test_a_linked_cache_file_is_refused(tmp_path):
    outside = tmp_path / "outside.jsonl"
    outside.write_text("", encoding="utf-8")
    run = tmp_path / "run"
    (run / CACHE_DIR).mkdir(parents=True)
    os.symlink(outside, run / CACHE_DIR / CACHE_FILE)
    with pytest.raises(Exception, match="symbolic link|not a regular file"):
        JudgeCache(str(run), LOG)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda j: j.update(model="nobody"), "unknown model"),
        (lambda j: j.update(scale=[5, 5]), "scale"),
        (lambda j: j.update(scale=[1, "10"]), "scale"),
        (lambda j: j.update(prompt=[]), "empty prompt"),
        (lambda j: j.update(max_tokens=0), "max_tokens"),
        (lambda j: j.update(prompt=[{"ref": {"op": "output", "agent": "ghost"}}]), "ghost"),
        (lambda j: j.update(model="tiny"), "full weights"),  # the agents train `tiny` with full weights
    ],
)
def test_bad_judges_are_spec_errors(change, message):
    judge = json.loads(json.dumps(JUDGE))
    change(judge)
    with pytest.raises(SpecError, match=message):
        parse_spec(judged_data(judge))


def test_a_judge_on_a_full_weights_model_that_only_frozen_agents_use_is_allowed():
    data = judged_data(dict(JUDGE, model="tiny"))
    for agent in data["agents"]:
        agent["frozen"] = True  # never trained: the judge scores with the weights as loaded
    assert parse_spec(data).rubrics[0].criteria[-1].judge.model == "tiny"


def test_a_judge_on_an_api_model_that_agents_use_is_allowed():
    judge = dict(JUDGE, model="tiny")
    data = judged_data(judge)
    data["models"][0]["source"] = {  # served elsewhere: never trained (the RunSpec's openai source)
        "kind": "openai",
        "url": "http://127.0.0.1:8000/v1",
        "model": "qwen3-8b",
        "key_env": None,
        "timeout": 60,
        "retries": 2,
        "concurrency": 4,
    }
    assert style_judge(parse_spec(data)).model == "tiny"


def test_a_criterion_with_both_expr_and_judge_is_refused():
    data = judged_data()
    data["rubrics"][0]["criteria"][-1]["expr"] = {"op": "bool", "value": True}
    with pytest.raises(SpecError, match="exactly one"):
        parse_spec(data)


def test_local_backend_on_a_scratch_model_is_frozen_and_deterministic():
    spec = parse_spec(judged_data())
    backend = make_backend(spec, spec.model("critic"), torch.device("cpu"))
    assert isinstance(backend, LocalChatModel)
    assert not any(p.requires_grad for p in backend.module.parameters())
    batch = [[{"role": "user", "content": f"Rate {i}"}] for i in range(3)]
    answers = backend.chat(batch, max_tokens=3, temperature=0.0)
    assert len(answers) == 3 and all(isinstance(a, str) and len(a) <= 3 for a in answers)
    assert backend.chat(batch[1:2], max_tokens=3, temperature=0.0) == answers[1:2]  # batching changes nothing


def test_api_backend_is_built_through_api_models(monkeypatch):
    import sys
    import types

    made = {}

    class ApiModel:  # the interface of mas_trainer.api_models.ApiModel
        def __init__(self, name, source, environ=os.environ):
            made.update(name=name, source=source)

        def chat(self, batch, *, max_tokens, temperature, stop=None):
            return ["6"] * len(batch)

    monkeypatch.setitem(sys.modules, "mas_trainer.api_models", types.SimpleNamespace(ApiModel=ApiModel))
    spec = parse_spec(judged_data())
    spec.model("critic").source.kind = "openai"
    spec.model("critic").source.id = "qwen3-8b"
    runner = runner_for(spec, None)
    context = EvalContext(outputs={"first": "x"})
    assert runner.score("style", style_judge(spec), context) == pytest.approx(5 / 9)
    assert made["name"] == "critic" and made["source"]["kind"] == "openai"


def test_a_judge_on_an_api_model_asks_the_endpoint_with_the_key_and_caches_the_answer(tmp_path):
    from fake_openai_server import FakeOpenAi

    with FakeOpenAi("ok") as server:  # answers "echo: <the prompt>": the output "7" is the first number in 1..10
        source = {"kind": "openai", "url": server.url, "model": "judge-8b", "key_env": "MAS_JUDGE_KEY"}
        spec = parse_spec(judged_data(critic_source=source))
        environ = {"MAS_JUDGE_KEY": "sk-judge-secret"}
        context = EvalContext(task={"a": "l", "b": "l"}, outputs={"first": "7"})
        for _ in range(2):  # the second runner reads the disk cache: no second call
            runner = make_judge_runner(spec, str(tmp_path), torch.device("cpu"), LOG, environ=environ)
            assert runner is not None
            runner.prefetch(spec.rubrics[0].criteria, [context])
            assert runner.score("style", style_judge(spec), context) == pytest.approx(6 / 9)
        assert server.calls == 1 and server.auth == ["Bearer sk-judge-secret"]
        assert server.requests[0]["model"] == "judge-8b"
    assert "sk-judge-secret" not in (tmp_path / CACHE_DIR / CACHE_FILE).read_text()


def test_render_prompt_fills_task_and_output_holes():
    judge = style_judge(parse_spec(judged_data()))
    assert render_prompt(judge, EvalContext(outputs={"first": "Q"})) == "Rate the answer Q from 1 to 10."


def test_lazy_team_trains_two_steps_with_a_frozen_scratch_judge(tmp_path):
    data = judged_data()
    data["train"].update(steps=2, batch=2, checkpoint_every=2)
    data["train"]["algorithm"]["group"] = 2
    spec = parse_spec(data)
    run_dir = str(tmp_path / "run")
    trainer = Trainer(spec, RunOptions(run_dir))
    assert trainer.judges is not None
    lazy = trainer.judges.backends["critic"]
    assert isinstance(lazy, LazyBackend) and not lazy.loaded
    critic = lazy.get()
    assert isinstance(critic, LocalChatModel)
    before = [p.detach().clone() for p in critic.module.parameters()]
    trainer.run()
    after = list(critic.module.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, after))  # the judge never trains
    metrics = read_records(os.path.join(run_dir, "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1, 2]
    assert all("judge_errors" in m for m in metrics)
    records = read_records(os.path.join(run_dir, "trajectories", "1.jsonl"))
    assert records and all("style" in r["criteria"] for r in records)
    assert os.path.isfile(os.path.join(run_dir, CACHE_DIR, CACHE_FILE))
    # run.json (the spec with its judge), the metrics lines (judge_errors) and the records (judge_error) are valid
    from test_run_dir_schemas import _schema, _validator

    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
        _validator(_schema("run-dir", "run.schema.json")).validate(json.load(f))
    for m in metrics:
        _validator(_schema("run-dir", "metrics-record.schema.json")).validate(m)
    for r in records:
        _validator(_schema("run-dir", "trajectory-record.schema.json")).validate(r)


def test_judge_rescore_bench_runs_small_and_the_second_pass_calls_no_model(capsys, tiny_qwen3_dir):
    """trainer/bench/judge_rescore.py's whole path, small: a recorded lazy-team run re-scored twice by a judge."""
    import importlib.util

    from conftest import REPO_ROOT

    path = os.path.join(REPO_ROOT, "trainer", "bench", "judge_rescore.py")
    module_spec = importlib.util.spec_from_file_location("bench_judge_rescore", path)
    assert module_spec is not None and module_spec.loader is not None
    bench = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(bench)
    assert bench.main(["--steps", "1", "--judge-model-dir", tiny_qwen3_dir]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["rollouts"] == 16 and figures["first_calls"] > 0 and figures["second_calls"] == 0
    assert figures["second_loaded_model"] is False
