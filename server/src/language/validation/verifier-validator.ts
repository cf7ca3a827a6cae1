import { AstUtils, UriUtils, type URI, type ValidationAcceptor } from 'langium';
import type { FileSystemProvider, WorkspaceManager } from 'langium';
import { isEdgeChain, type Verifier, type VerifierCall } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import type { WorkspaceTrust } from '../workspace/workspace-trust.js';
import { fileState, isInside, workspaceFolderOf } from './dataset-validator.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import { functionFixes, missingFileFix, pythonFunctionOf } from './verifier-fixes.js';
import {
    MAX_CHECKED_VERIFIER_BYTES,
    pythonFunctionNames,
    verifierFileMissingMessage,
    verifierFunctionMissingMessage,
} from '../../../../protocol/verifier-files.js';

/**
 * Verifier declarations: the Python file resolves relative to the declaring .mas file and exists, it defines the
 * function at top level (a textual check: `def name(` at the start of a line), parameter names are distinct, and
 * in an untrusted workspace a note says why the verifier will not run. Calls score criteria only: an edge
 * condition is evaluated while the rollout runs, where no verifier pool is consulted.
 */
export class VerifierValidator {
    private readonly workspace: WorkspaceManager;
    private readonly files: FileSystemProvider;
    private readonly trust: WorkspaceTrust;

    constructor(services: MasServices) {
        this.workspace = services.shared.workspace.WorkspaceManager;
        this.files = services.shared.workspace.FileSystemProvider;
        this.trust = services.workspace.WorkspaceTrust;
    }

    checkVerifier(verifier: Verifier, accept: ValidationAcceptor): void {
        this.checkParameterNames(verifier, accept);
        this.checkTrust(verifier, accept);
        this.checkFile(verifier, accept);
    }

    checkVerifierCall(call: VerifierCall, accept: ValidationAcceptor): void {
        if (!AstUtils.getContainerOfType(call, isEdgeChain)) return;
        report(
            accept,
            'error',
            IssueCodes.VerifierInCondition,
            `A verifier scores rubric criteria, but this is an edge condition, which the trainer evaluates while the rollout runs; move \`${call.verifier?.$refText ?? 'the call'}(...)\` into a \`criterion\` of the rubric, or test the output with an expression here (\`contains\`, \`matches\`).`,
            { node: call },
        );
    }

    private checkParameterNames(verifier: Verifier, accept: ValidationAcceptor): void {
        const seen = new Set<string>();
        verifier.params.forEach((param, index) => {
            if (seen.has(param.name)) {
                report(
                    accept,
                    'error',
                    IssueCodes.DuplicateParameter,
                    `The verifier '${verifier.name}' has two parameters named '${param.name}'; rename one of them.`,
                    { node: verifier, property: 'params', index },
                );
            }
            seen.add(param.name);
        });
    }

    private checkTrust(verifier: Verifier, accept: ValidationAcceptor): void {
        if (this.trust.isTrusted() !== false) return;
        report(
            accept,
            'warning',
            IssueCodes.VerifierUntrusted,
            `This workspace is not trusted, so the verifier '${verifier.name}' will not run: it is Python code from "${verifier.file}". Training and re-scoring with this rubric refuse to start until you trust the workspace (command "Workspaces: Manage Workspace Trust").`,
            { node: verifier, keyword: 'verifier' },
            [
                {
                    title: 'Manage Workspace Trust',
                    edits: [],
                    command: { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' },
                },
            ],
        );
    }

    private checkFile(verifier: Verifier, accept: ValidationAcceptor): void {
        const declaring = AstUtils.getDocument(verifier).uri;
        if (declaring.scheme !== 'file' || !verifier.file?.trim()) return;
        const folder = UriUtils.dirname(declaring);
        const resolved = UriUtils.resolvePath(folder, verifier.file);
        const location = { node: verifier, property: 'file' };
        const root = workspaceFolderOf(this.workspace, declaring) ?? folder;
        if (!isInside(resolved, root)) {
            report(
                accept,
                'warning',
                IssueCodes.VerifierOutsideWorkspace,
                `The verifier file resolves to ${resolved.fsPath}, outside the workspace folder ${root.fsPath}; training would run that file's code. Copy it into the workspace and give its path relative to this file.`,
                location,
            );
            return;
        }
        const state = fileState(this.files, resolved);
        if (state === 'unknown') return;
        if (state !== 'file') {
            report(
                accept,
                'error',
                IssueCodes.VerifierFileMissing,
                verifierFileMissingMessage(resolved.fsPath, state, pythonFunctionOf(verifier)),
                location,
                state === 'missing' ? [missingFileFix(verifier, resolved)] : [],
            );
            return;
        }
        this.checkFunctionDefined(verifier, resolved, accept);
    }

    private checkFunctionDefined(verifier: Verifier, resolved: URI, accept: ValidationAcceptor): void {
        let text: string;
        try {
            const bytes = this.files.readBinarySync(resolved);
            if (bytes.byteLength > MAX_CHECKED_VERIFIER_BYTES) return;
            text = new TextDecoder().decode(bytes);
        } catch {
            return;
        }
        const wanted = pythonFunctionOf(verifier);
        const defined = pythonFunctionNames(text);
        if (defined.includes(wanted)) return;
        report(
            accept,
            'error',
            IssueCodes.VerifierFunctionMissing,
            verifierFunctionMissingMessage(resolved.fsPath, wanted, defined),
            verifier.function ? { node: verifier, property: 'function' } : { node: verifier, property: 'file' },
            functionFixes(verifier, wanted, defined, resolved, text),
        );
    }
}
