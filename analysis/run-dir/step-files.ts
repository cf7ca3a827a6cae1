import { lstat, readdir } from 'node:fs/promises';
import { RUN_DIR_FILES } from '../../protocol/run-dir.js';
import type { JsonlIssue } from './jsonl-lines.js';
import { resolveInRunDir } from './paths.js';

export interface StepFile {
    step: number;
    /** Relative to the run directory. */
    relative: string;
}

/**
 * The step files of a run, in step order (none before the first step finishes). Only the names the trainer writes
 * (`<step>.jsonl`, no leading zeros: the name the trainer gives) are read; another name for a step, such as
 * `0003.jsonl` beside (or instead of) `3.jsonl`, is reported in `issues` and not read, so each step has one file.
 */
export async function stepFiles(root: string, issues: JsonlIssue[] = []): Promise<StepFile[]> {
    let dir: string;
    try {
        dir = await resolveInRunDir(root, RUN_DIR_FILES.trajectoriesDir);
    } catch (error) {
        // A link out of the run directory: its steps are not read, the rest of the run is.
        issues.push({ file: RUN_DIR_FILES.trajectoriesDir, line: 0, message: `${(error as Error).message}` });
        return [];
    }
    let names: string[];
    try {
        names = await readdir(dir);
    } catch (error) {
        // No trajectories yet (the first step has not finished); anything else that is there but not a folder is said.
        const code = (error as NodeJS.ErrnoException).code;
        if (
            code === 'ENOENT' &&
            (await lstat(dir).then(
                () => true,
                () => false,
            ))
        ) {
            issues.push({
                file: RUN_DIR_FILES.trajectoriesDir,
                line: 0,
                message: 'is a link to nothing (a dangling link); skipped',
            });
        } else if (code !== 'ENOENT')
            issues.push({
                file: RUN_DIR_FILES.trajectoriesDir,
                line: 0,
                message: `could not be listed (${code ?? (error as Error).message}); skipped`,
            });
        return [];
    }
    const files: StepFile[] = [];
    for (const name of names.sort()) {
        const match = /^(\d+)\.jsonl$/.exec(name);
        if (!match) continue;
        const step = Number(match[1]);
        const relative = `${RUN_DIR_FILES.trajectoriesDir}/${name}`;
        if (!Number.isSafeInteger(step)) {
            issues.push({ file: relative, line: 0, message: 'is not a step number the trainer writes; skipped' });
        } else if (name !== `${step}.jsonl`) {
            issues.push({
                file: relative,
                line: 0,
                message: `is not the name the trainer gives step ${step} (${step}.jsonl); skipped, so that a step is read from one file only`,
            });
        } else files.push({ step, relative });
    }
    return files.sort((a, b) => a.step - b.step);
}
