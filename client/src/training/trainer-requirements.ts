/**
 * What the trainer needs from its Python environment, named once for the environment check's advice
 * (check-env.ts), the pre-flight (preflight.ts) and the docs (docs/training.md, trainer/README.md).
 * Python side: trainer/pyproject.toml and check-env's TRAINER_PACKAGES / OPTIONAL_PACKAGES (mas_trainer/__main__.py).
 */

/**
 * PyTorch's wheel index for CUDA builds (`pip install torch --index-url …`). pytorch.org lists the current ones;
 * cu128 runs on drivers for CUDA 12.8+ and is the first with Blackwell GPUs. Change it here only.
 */
export const TORCH_CUDA_INDEX = 'https://download.pytorch.org/whl/cu128';

/** The command that puts a Hub model in the local cache (the trainer never downloads). `huggingface-cli` is deprecated. */
export function hfDownloadCommand(id: string): string {
    return `hf download ${id}`;
}

/**
 * Packages a run can do without, and what it loses: a missing one is a warning in the environment check, never a
 * refusal to train. Every other trainer package is needed by every run, scratch models included.
 */
export const FEATURE_PACKAGES: Readonly<Record<string, string>> = {
    onnx: 'a run with `credit: critic` cannot export critic.onnx, which the editor reads for what-if critic credit',
    tensorboard:
        "runs write no TensorBoard event files to their tensorboard/ folder (metrics.jsonl and the dashboard don't need it)",
};
