// `npm run test:e2e`: package the VSIX, make sure the cached code-server is installed, then run the VSIX
// content checks and the scenarios (test/e2e) against the installed extension in code-server + Chromium.
// Prints the time of each phase; screenshots and figures land in test-results/e2e/.
import { rmSync } from 'node:fs';
import { installCodeServer } from './install-code-server.mjs';
import { npxCommand, run } from './lib.mjs';
import { packageVsix } from './package-vsix.mjs';

const phases = [];
function timed(name, action) {
    const started = Date.now();
    const result = action();
    phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
}

rmSync('test-results/e2e', { recursive: true, force: true });
const vsix = timed('package', packageVsix);
timed('code-server', installCodeServer);
const status = timed('scenarios', () => run(npxCommand, ['vitest', 'run', '--config', 'test/e2e/vitest.e2e.config.ts'], { env: { ...process.env, MAS_VSIX: vsix } }));
console.log(`\ne2e phases: ${phases.join(', ')}; screenshots and figures in test-results/e2e/`);
process.exit(status);
