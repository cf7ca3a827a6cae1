// Bundles the client benchmarks (Node 20 cannot run .ts) and runs them. Usage: node bench/client/run.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'client-follow-bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench', 'client', 'follow.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
});
let status = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: repoRoot,
}).status;
if (status === 0)
    status = spawnSync(process.execPath, [join(repoRoot, 'bench', 'client', 'activation.cjs')], {
        stdio: 'inherit',
        cwd: repoRoot,
    }).status;
process.exit(status ?? 1);
