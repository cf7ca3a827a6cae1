import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A 3-step lazy-team run written by `python -m mas_trainer run` (see test/fixtures/runs/README.md). */
export const FIXTURE_RUN = fileURLToPath(new URL('../../fixtures/runs/lazy-team-3steps', import.meta.url));

/** A scratch copy of the fixture run that a test may damage; `dispose` removes it. */
export function copyFixtureRun(): { root: string; dispose: () => void } {
    const parent = mkdtempSync(path.join(tmpdir(), 'mas-run-'));
    const root = path.join(parent, 'run');
    cpSync(FIXTURE_RUN, root, { recursive: true });
    return { root, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}
