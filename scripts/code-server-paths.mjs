// Where the e2e suite's code-server lives: a cache outside the repository, keyed by version.
// 4.100.3 is the newest code-server whose `engines` accept Node 20 (4.103 and later require Node 22+).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** MAS_E2E_CACHE overrides the cache root (default ~/.cache/mas-studio). */
export function codeServerDir(version = CODE_SERVER_VERSION) {
    const root = process.env.MAS_E2E_CACHE || join(homedir(), '.cache', 'mas-studio');
    return join(root, `code-server-${version}`);
}

/** The script that starts code-server, inside an install folder. */
export function codeServerEntry(dir = codeServerDir()) {
    return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}
