// Bundles and runs write-run-main.ts: the bench's synthetic run, kept on disk for peers.py.
// Usage: node bench/trajectory/write-run.mjs <output dir> [trajectories]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'write-run.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench/trajectory/write-run-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
});
const result = spawnSync(process.execPath, [outfile, repoRoot, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
