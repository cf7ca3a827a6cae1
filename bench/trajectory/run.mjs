// Bundles and runs the trajectory reader benchmark (prints figures; never fails on time).
// Usage: node bench/trajectory/run.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'trajectory-bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench', 'trajectory', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--expose-gc', outfile, repoRoot, ...process.argv.slice(2)], {
    stdio: 'inherit',
});
process.exit(result.status ?? 1);
