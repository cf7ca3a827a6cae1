"""The GPU figure's script (bench/hf_throughput.py) runs its whole path — a random-weight Qwen2 saved and reloaded
through transformers, LoRA via peft, rollouts and updates — on a CPU with --tiny, so it cannot rot unseen."""

import importlib.util
import json
import os

from conftest import REPO_ROOT


def _load(name):
    path = os.path.join(REPO_ROOT, "trainer", "bench", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hf_throughput_runs_tiny_on_cpu(capsys):
    bench = _load("hf_throughput")
    assert bench.main(["--tiny", "--steps", "2", "--batch", "2", "--group", "2", "--max-tokens", "3"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["shape"] == "tiny" and figures["group"] == 2 and figures["batch"] == 2
    assert figures["rollout_tokens_per_s"] > 0 and figures["update_tokens_per_s"] > 0


def test_sampler_vs_generate_runs_small_on_the_tiny_qwen3(capsys, tiny_qwen3_dir):
    bench = _load("sampler_vs_generate")
    argv = ["--rows", "2", "--max-tokens", "2", "--prompt-tokens", "8", "--repeats", "1", "--model-dir", tiny_qwen3_dir]
    assert bench.main(argv) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["rows"] == 2 and figures["max_tokens"] == 2 and "151669" in figures["model"]
    assert figures["sampler_tokens_per_s"] > 0 and figures["generate_tokens_per_s"] > 0 and figures["ratio"] > 0


def test_gpu_check_runs_tiny_on_cpu(capsys):
    """trainer/bench/gpu_check.sh's script (Qwen3 shapes on a GPU) runs its whole path with --tiny on the CPU."""
    bench = _load("gpu_check")
    assert bench.main(["--tiny"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert lines[0]["device"] == "cpu"
    figures = lines[-1]
    assert figures["shape"] == "tiny" and "train_error" not in figures, figures
    assert figures["sampler_tokens_per_s"] > 0 and figures["generate_tokens_per_s"] > 0
    assert 0 < figures["sampler_fraction_of_hbm_bound"] < 1 and figures["params_lora"] > 0
    assert set(figures["step_split_s"]) == {"rollout", "reward", "credit", "update"}
    assert figures["update_tokens_forwarded"] > 0 and figures["update_tflops_per_s"] >= 0
