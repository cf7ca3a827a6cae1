// `npm run test:e2e`: package the VSIX, make sure the cached code-server is installed, then run the VSIX
// content checks and the scenarios (test/e2e) against the installed extension in code-server + Chromium.
// On Linux as root the scenarios run in a fresh network namespace with only loopback: the installed
// extension must activate and work with no network at all.
// Prints the time of each phase; screenshots and figures land in test-results/e2e/.
import { spawnSync } from 'node:child_process';
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

/** `unshare --net` with loopback up works here (Linux, root or user namespaces allowed). */
function offlineNamespaceWorks() {
    if (process.platform !== 'linux') return false;
    const probe = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
    return probe.status === 0;
}

rmSync('test-results/e2e', { recursive: true, force: true });
const vsix = timed('package', packageVsix);
timed('code-server', installCodeServer);
const vitest = [npxCommand, 'vitest', 'run', '--config', 'test/e2e/vitest.e2e.config.ts'];
const offline = offlineNamespaceWorks();
console.log(
    offline
        ? '\ne2e: running offline (a fresh network namespace with only loopback)'
        : '\ne2e: WARNING: cannot create a network namespace here; running with the host network',
);
const [command, ...args] = offline
    ? ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...vitest]
    : vitest;
const status = timed('scenarios', () => run(command, args, { env: { ...process.env, MAS_VSIX: vsix } }));
console.log(`\ne2e phases: ${phases.join(', ')}; screenshots and figures in test-results/e2e/`);
process.exit(status);
