import { AstUtils, URI, UriUtils, type ValidationAcceptor } from 'langium';
import type { FileSystemProvider, WorkspaceManager } from 'langium';
import type { Dataset } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/**
 * Dataset paths: a `.mas` file is untrusted (a workspace is opened before anyone reads it), and the trainer
 * reads whatever file its dataset names, so a path that leaves the workspace (`../../../../etc/passwd`,
 * `/home/me/.ssh/id_rsa`) is flagged with the file it resolves to. The workspace is the editor's workspace
 * folder that holds the declaring file; where none is known (`mas check`, tests) it is the declaring file's folder.
 */
export class DatasetValidator {
    private readonly workspace: WorkspaceManager;
    private readonly files: FileSystemProvider;

    constructor(services: MasServices) {
        this.workspace = services.shared.workspace.WorkspaceManager;
        this.files = services.shared.workspace.FileSystemProvider;
    }

    checkDatasetPath(dataset: Dataset, accept: ValidationAcceptor): void {
        const declaring = AstUtils.getDocument(dataset).uri;
        if (declaring.scheme !== 'file' || !dataset.path) return;
        const folder = UriUtils.dirname(declaring);
        const resolved = UriUtils.resolvePath(folder, dataset.path);
        const root = this.workspaceFolderOf(declaring) ?? folder;
        if (isInside(resolved, root)) {
            this.checkDatasetFileExists(dataset, resolved, accept);
            return;
        }
        report(
            accept,
            'warning',
            IssueCodes.DatasetOutsideWorkspace,
            `The dataset path resolves to ${resolved.fsPath}, outside the workspace folder ${root.fsPath}; training would read that file. Copy the data into the workspace and give its path relative to this file, for example "data/tasks.jsonl".`,
            { node: dataset, property: 'path' },
        );
    }

    /**
     * A dataset file that does not exist fails the run only after the trainer has started, so it is flagged
     * here (only inside the workspace: whether a file outside it exists is none of the editor's business).
     * Reading whether it exists is harmless in an untrusted workspace; the fix that creates it is the user's act.
     * A warning, not an error: `mas compile` may produce a spec for a machine where the data lives (or a script
     * writes it before training); "Start Training" refuses it in its pre-flight (client/src/training/preflight.ts).
     */
    private checkDatasetFileExists(dataset: Dataset, resolved: URI, accept: ValidationAcceptor): void {
        const state = fileState(this.files, resolved);
        if (state === 'file' || state === 'unknown') return;
        const location = { node: dataset, property: 'path' };
        if (state === 'directory') {
            report(
                accept,
                'warning',
                IssueCodes.DatasetFileMissing,
                `The dataset path resolves to the folder ${resolved.fsPath}; give the path of a JSON Lines file (one task per line).`,
                location,
            );
            return;
        }
        report(
            accept,
            'warning',
            IssueCodes.DatasetFileMissing,
            `The dataset file ${resolved.fsPath} does not exist; training would fail when it loads the tasks. Create it (one JSON object per line) or correct the path, which is relative to this file.`,
            location,
            [{ title: `Create the empty file ${dataset.path}`, edits: [], createFiles: [resolved.toString()] }],
        );
    }

    private workspaceFolderOf(file: URI): URI | undefined {
        return workspaceFolderOf(this.workspace, file);
    }
}

/** The innermost workspace folder that holds `file`, if the editor named any. */
export function workspaceFolderOf(workspace: WorkspaceManager, file: URI): URI | undefined {
    const folders = (workspace.workspaceFolders ?? []).map((folder) => URI.parse(folder.uri));
    return folders.filter((folder) => isInside(file, folder)).sort((a, b) => b.path.length - a.path.length)[0];
}

export function isInside(uri: URI, folder: URI): boolean {
    const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
    return (
        uri.scheme === folder.scheme &&
        uri.authority === folder.authority &&
        (uri.path === folder.path || uri.path.startsWith(base))
    );
}

/**
 * `unknown` where the provider cannot tell (no file system: tests, the browser), so that a missing
 * file system never turns every dataset into an error; a missing file or parent folder reads `missing`.
 */
export function fileState(files: FileSystemProvider, uri: URI): 'file' | 'directory' | 'missing' | 'unknown' {
    try {
        const node = files.statSync(uri);
        return node.isFile ? 'file' : node.isDirectory ? 'directory' : 'unknown';
    } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unknown';
    }
}
