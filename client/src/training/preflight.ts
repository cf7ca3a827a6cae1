/**
 * Pre-flight of "MAS: Start Training": what the compiled RunSpec needs from this machine, checked before a run
 * directory is created or the trainer spawned. Each of these used to fail only after the trainer had started
 * (a missing dataset 26 s in), leaving a run directory behind (first-hour bug B6). Reads only: the spec and the
 * workspace are untrusted, so nothing here writes or runs; it stats the paths they name and reads the text of
 * verifier files (bounded) for the language server's own `def` check.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hfDownloadCommand } from './trainer-requirements.js';
import type { RunSpec, VerifierSpec } from '../../../protocol/run-spec.js';
import {
    MAX_CHECKED_VERIFIER_BYTES,
    pythonFunctionNames,
    verifierFileMissingMessage,
    verifierFunctionMissingMessage,
} from '../../../protocol/verifier-files.js';
import { judgeTrustRefusal, verifierTrustRefusal, workspaceVerifiersOf } from './verifier-trust.js';

export type PreflightAction = 'use-auto-device' | 'copy-download-command';

export interface PreflightProblem {
    message: string;
    /** What the error toast offers; `command` is the shell command of `copy-download-command`. */
    action?: PreflightAction;
    command?: string;
}

export interface PreflightContext {
    /** Workspace trust; absent counts as trusted (Start Training has refused an untrusted workspace already). */
    trusted?: boolean;
    /** From the environment check; undefined when it could not tell (then `device: cuda` is not refused). */
    cudaAvailable: boolean | undefined;
    /** The trainer's environment (HF_HOME, HF_HUB_CACHE … as the trainer will see them). */
    env: NodeJS.ProcessEnv;
    homeDir?: string;
}

/** Problems in the order the trainer would meet them: verifiers, datasets, device, models. Empty: go ahead. */
export function preflight(spec: Partial<RunSpec>, context: PreflightContext): PreflightProblem[] {
    const problems: PreflightProblem[] = verifierProblems(spec, context.trusted ?? true);
    for (const dataset of spec.datasets ?? []) {
        const kind = pathKind(dataset.path);
        if (kind === 'file') continue;
        problems.push({
            message:
                kind === 'missing'
                    ? `the dataset file ${dataset.path} (dataset ${dataset.name} from "${dataset.declared_path}") does not exist. Create it (one JSON object per line; the quick fix on the path does) or correct the path, which is relative to the .mas file.`
                    : `the dataset path ${dataset.path} (dataset ${dataset.name}) is not a regular file. Give the path of a JSON Lines file.`,
        });
    }
    if (spec.train?.device === 'cuda' && context.cudaAvailable === false) {
        problems.push({
            message:
                'the workflow sets device: cuda, but the environment check sees no CUDA GPU. Use device: auto (the GPU when there is one, else the CPU), or select an interpreter whose torch sees the GPU.',
            action: 'use-auto-device',
        });
    }
    const cache = huggingFaceHubCache(context.env, context.homeDir ?? os.homedir());
    for (const model of spec.models ?? []) {
        if (model.source.kind !== 'hf') continue;
        const id = model.source.id;
        if (path.isAbsolute(id) && pathKind(id) === 'directory') continue;
        if (!isHubId(id)) {
            problems.push({
                message: `the model ${model.name} comes from "${id}", which is neither an existing absolute folder nor a Hugging Face model id (org/name).`,
            });
            continue;
        }
        if (isCached(cache, id)) continue;
        const command = hfDownloadCommand(id);
        problems.push({
            message: `the model ${model.name} (${id}) is not in the Hugging Face cache ${cache}, and the trainer never downloads. Download it first: ${command}`,
            action: 'copy-download-command',
            command,
        });
    }
    return problems;
}

/** User verifiers in an untrusted workspace (never run), and verifier files that are gone (the trainer's exit 3). */
function verifierProblems(spec: Partial<RunSpec>, trusted: boolean): PreflightProblem[] {
    const rubric = spec.rubrics?.find((r) => r.name === spec.reward?.rubric);
    const called = rubric ? workspaceVerifiersOf(rubric, spec.verifiers) : [];
    const refusal =
        verifierTrustRefusal('training', called, trusted) ?? (rubric && judgeTrustRefusal('training', rubric, trusted));
    if (refusal) return [{ message: refusal }];
    return (spec.verifiers ?? []).flatMap((verifier) => {
        const message = verifierFileProblem(verifier);
        return message ? [{ message: `verifier ${verifier.name}: ${message}` }] : [];
    });
}

/**
 * The language server's `verifier-file-missing` / `verifier-function-missing` message for the compiled (resolved)
 * file, or undefined when the file has the function; the trainer would exit 3 on either, after the run directory.
 */
function verifierFileProblem(verifier: VerifierSpec): string | undefined {
    const kind = pathKind(verifier.file);
    if (kind === 'missing' || kind === 'directory') {
        return verifierFileMissingMessage(verifier.file, kind, verifier.function);
    }
    if (kind === 'other')
        return `The verifier file ${verifier.file} is not a regular file; give the path of a Python file.`;
    let text: string;
    try {
        if (statSync(verifier.file).size > MAX_CHECKED_VERIFIER_BYTES) return undefined;
        text = readFileSync(verifier.file, 'utf8');
    } catch {
        return undefined;
    }
    const defined = pythonFunctionNames(text);
    return defined.includes(verifier.function)
        ? undefined
        : verifierFunctionMissingMessage(verifier.file, verifier.function, defined);
}

/** huggingface_hub's cache folder: HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub. */
export function huggingFaceHubCache(env: NodeJS.ProcessEnv, homeDir: string): string {
    const explicit = env['HF_HUB_CACHE'] || env['HUGGINGFACE_HUB_CACHE'];
    if (explicit) return explicit;
    const home = env['HF_HOME'] || path.join(env['XDG_CACHE_HOME'] || path.join(homeDir, '.cache'), 'huggingface');
    return path.join(home, 'hub');
}

/** An id whose cache folder name cannot leave the cache (no `..`, no separators beyond the one `/`). */
function isHubId(id: string): boolean {
    return /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) && !id.includes('..');
}

/** The hub cache layout: models--<org>--<name>/snapshots/<revision>/; a snapshot folder means it was downloaded. */
function isCached(cache: string, id: string): boolean {
    const snapshots = path.join(cache, `models--${id.replace('/', '--')}`, 'snapshots');
    try {
        return readdirSync(snapshots, { withFileTypes: true }).some((entry) => entry.isDirectory());
    } catch {
        return false;
    }
}

function pathKind(file: string): 'file' | 'directory' | 'other' | 'missing' {
    try {
        const stat = statSync(file);
        return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    } catch {
        return 'missing';
    }
}

/**
 * The range of `cuda` in the first `device: cuda` of a .mas text that is not commented out (a `//` before it on
 * its line), as offsets; undefined when there is none.
 */
export function cudaDeviceOffsets(text: string): { start: number; end: number } | undefined {
    for (const match of text.matchAll(/\bdevice\s*:\s*cuda\b/g)) {
        const lineStart = text.lastIndexOf('\n', match.index) + 1;
        if (text.slice(lineStart, match.index).includes('//')) continue;
        const start = match.index + match[0].length - 'cuda'.length;
        return { start, end: start + 'cuda'.length };
    }
    return undefined;
}
