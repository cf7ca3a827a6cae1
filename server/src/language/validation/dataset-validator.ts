import { AstUtils, URI, UriUtils, type ValidationAcceptor } from 'langium';
import type { WorkspaceManager } from 'langium';
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

    constructor(services: MasServices) {
        this.workspace = services.shared.workspace.WorkspaceManager;
    }

    checkDatasetPath(dataset: Dataset, accept: ValidationAcceptor): void {
        const declaring = AstUtils.getDocument(dataset).uri;
        if (declaring.scheme !== 'file' || !dataset.path) return;
        const folder = UriUtils.dirname(declaring);
        const resolved = UriUtils.resolvePath(folder, dataset.path);
        const root = this.workspaceFolderOf(declaring) ?? folder;
        if (isInside(resolved, root)) return;
        report(
            accept,
            'warning',
            IssueCodes.DatasetOutsideWorkspace,
            `The dataset path resolves to ${resolved.fsPath}, outside the workspace folder ${root.fsPath}; training would read that file. Copy the data into the workspace and give its path relative to this file, for example "data/tasks.jsonl".`,
            { node: dataset, property: 'path' },
        );
    }

    private workspaceFolderOf(file: URI): URI | undefined {
        const folders = (this.workspace.workspaceFolders ?? []).map((folder) => URI.parse(folder.uri));
        return folders.filter((folder) => isInside(file, folder)).sort((a, b) => b.path.length - a.path.length)[0];
    }
}

function isInside(uri: URI, folder: URI): boolean {
    const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
    return (
        uri.scheme === folder.scheme &&
        uri.authority === folder.authority &&
        (uri.path === folder.path || uri.path.startsWith(base))
    );
}
