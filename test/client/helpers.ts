// Shared by the client process tests: a Python for the fake trainer, temp folders, and waits on real events.
import { existsSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { trainerEnv } from '../../client/src/training/trainer-args.js';
import type { TrustSource } from '../../client/src/training/trust.js';

const venv = path.resolve('trainer/.venv/bin/python');
/** Any Python 3 runs the fake trainer; the project's venv starts fastest when it exists. */
export const testPython = existsSync(venv) ? venv : 'python3';
/** A stand-in extension folder: its trainer/ holds the fake mas_trainer package. */
export const fakeExtensionRoot = path.resolve('test/client/fixtures/fake-extension');
export const fakeTrainerRoot = path.join(fakeExtensionRoot, 'trainer');
export const fakeEnv = (): NodeJS.ProcessEnv => trainerEnv(process.env);
export const trusted: TrustSource = { isTrusted: () => true };
export const untrusted: TrustSource = { isTrusted: () => false };

export function tempDir(prefix = 'mas-client-'): { dir: string; cleanup: () => void } {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves once `file` exists (inotify on its folder, plus a check right after the watch starts). */
export function waitForFile(file: string): Promise<void> {
    return new Promise((resolve) => {
        const watcher = watch(path.dirname(file), () => {
            if (existsSync(file)) {
                watcher.close();
                resolve();
            }
        });
        if (existsSync(file)) {
            watcher.close();
            resolve();
        }
    });
}

/** The first value an event reports. */
export function nextEvent<T>(subscribe: (listener: (value: T) => void) => { dispose(): void }): Promise<T> {
    return new Promise((resolve) => {
        const sub = subscribe((value) => {
            sub.dispose();
            resolve(value);
        });
    });
}
