// F4 of issue 14: a workspace (or a run directory) holding `mas_trainer/` or `argparse.py` must not replace the
// trainer. The real trainer (trainer/.venv, trainer/) is launched exactly as the extension launches it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCH_FILES } from '../../protocol/launch.js';
import { createRunDir, writeSpec } from '../../client/src/training/run-dir.js';
import { trainerEnv, trainerRunArgs } from '../../client/src/training/trainer-args.js';
import { TrainerAttachment } from '../../client/src/training/trainer-attachment.js';
import { nextEvent, tempDir, trusted } from './helpers.js';

const venvPython = path.resolve('trainer/.venv/bin/python');
const realTrainerRoot = path.resolve('trainer');

const cleanups: (() => void)[] = [];
afterEach(() => {
    for (const c of cleanups.splice(0)) c();
});

/** Plants modules that leave a marker file when imported, in `folder`. */
function plantShadows(folder: string, markers: string): void {
    mkdirSync(path.join(folder, 'mas_trainer'), { recursive: true });
    const touch = (name: string) => `open(${JSON.stringify(path.join(markers, name))}, "w").close()\n`;
    writeFileSync(path.join(folder, 'mas_trainer', '__init__.py'), touch(`package-in-${path.basename(folder)}`));
    writeFileSync(path.join(folder, 'mas_trainer', '__main__.py'), touch(`main-in-${path.basename(folder)}`));
    writeFileSync(path.join(folder, 'argparse.py'), touch(`argparse-in-${path.basename(folder)}`));
}

describe('the trainer cannot be shadowed', () => {
    it.skipIf(!existsSync(venvPython))(
        'a workspace mas_trainer/ or argparse.py (or one in the run directory, or on PYTHONPATH) is not imported; the real trainer runs',
        async () => {
            const tmp = tempDir('mas-shadow-');
            cleanups.push(tmp.cleanup);
            const markers = path.join(tmp.dir, 'markers');
            mkdirSync(markers);
            const workspace = path.join(tmp.dir, 'workspace');
            const runDir = createRunDir(path.join(workspace, 'runs'), 'w', new Date(2026, 11, 7, 20, 0, 0));
            // The workspace was the start's working directory and the run directory's grandparent the resume's; the run
            // directory is the working directory now. All three hold the shadows, and the environment points at one.
            plantShadows(workspace, markers);
            plantShadows(runDir, markers);
            // A spec the real trainer rejects with its own message (exit 3) once argparse and mas_trainer are its own.
            const specFile = writeSpec(runDir, { version: 999 });
            for (const resume of [false, true]) {
                const args = trainerRunArgs({ specFile, runDir, trainerRoot: realTrainerRoot, resume });
                const env = { ...trainerEnv(process.env), PYTHONPATH: workspace };
                const session = await TrainerAttachment.launch(
                    { python: venvPython, args, runDir, env, trust: trusted },
                    { pollMs: 50 },
                );
                cleanups.push(() => session.dispose());
                const outcome = await nextEvent(session.onEnd.on.bind(session.onEnd));
                expect(outcome.message).toContain('exited with code 3');
                const log = readFileSync(path.join(runDir, LAUNCH_FILES.processLog), 'utf8');
                expect(log).toContain('run spec version 999 is not supported');
            }
            expect(readdirSync(markers)).toEqual([]);
        },
        60_000,
    );
});
