// Bundles and runs the what-if critic benchmark (prints figures). Usage: node bench/trajectory/critic-bench.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const results = join(repoRoot, 'bench', 'results');
mkdirSync(results, { recursive: true });
// The worker lives inside the repository so that it resolves onnxruntime-node from node_modules.
await build({
    entryPoints: [join(repoRoot, 'client/src/onnx/critic-worker.ts')],
    outfile: join(results, 'critic-worker.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['onnxruntime-node'],
    logLevel: 'warning',
});
await build({
    entryPoints: [join(repoRoot, 'bench/trajectory/critic-main.ts')],
    outfile: join(results, 'critic-bench.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
});
const result = spawnSync(
    process.execPath,
    [join(results, 'critic-bench.mjs'), repoRoot, join(results, 'critic-worker.cjs')],
    { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
