"""The figure scripts run their whole path tiny on a CPU, so they cannot rot unseen: bench/hf_throughput.py (a
random-weight Qwen2 saved and reloaded through transformers, LoRA via peft, rollouts and updates, --tiny) and
bench/update_throughput.py (the update on the tiny Qwen3, in a subprocess per measurement)."""

import importlib.util
import json
import os

import pytest
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


def test_update_throughput_runs_tiny(capsys, tiny_qwen3_dir):
    """bench/update_throughput.py: its worker in a subprocess on this checkout, tiny, with the memory sweep; the
    before/after comparison itself (git archive of an old commit) is the same path with another PYTHONPATH."""
    bench = _load("update_throughput")
    argv = ["--no-before", "--batch", "1", "--group", "2", "--prompt-tokens", "40", "--output-tokens", "3"]
    assert bench.main([*argv, "--sweep", "64", "--sweep-group", "2", "--model-dir", tiny_qwen3_dir]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    after = figures["after"]
    assert "error" not in after, after
    assert after["decisions"] == 4 and after["prompt_tokens"] == 40 and after["micro_batch_tokens"] > 0
    assert after["peak_rss_mb"] > 0 and after["update_tokens_per_s"] > 0
    assert [p["prompt_tokens"] for p in figures["sweep"]] == [64] and figures["sweep"][0]["after_peak_rss_mb"] > 0


def test_update_throughput_exports_the_trainer_of_a_commit(tmp_path):
    bench = _load("update_throughput")
    path = bench.export_before("HEAD", str(tmp_path))
    if path is None:
        pytest.skip("not a git checkout (an unpacked source archive): no commit to export")
    assert os.path.isfile(os.path.join(path, "mas_trainer", "update.py"))
    assert bench.export_before("0" * 40, str(tmp_path / "none")) is None
