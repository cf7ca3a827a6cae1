// Size and time of the trajectory view's open message, before and after paging steps (issue 15 item 6).
// Prints figures; never fails on time. Usage: node bench/trajectory/open-message-bench.mjs [--big]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'open-message-bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench', 'trajectory', 'open-message-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
});
const result = spawnSync(process.execPath, ['--max-old-space-size=8192', outfile, repoRoot, ...process.argv.slice(2)], {
    stdio: 'inherit',
});
process.exit(result.status ?? 1);
