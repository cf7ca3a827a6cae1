/**
 * Workspace trust, enforced where processes are spawned and run directories are acted on — not only hidden
 * in the UI. A workspace's files (settings, .mas files, run directories) are the attacker's in an untrusted
 * folder: nothing is spawned and no model file is read there (DESIGN.md §6).
 */
export interface TrustSource {
    isTrusted(): boolean;
}

export class UntrustedWorkspaceError extends Error {
    constructor(action: string) {
        super(
            `MAS: ${action} is disabled in an untrusted workspace (it would run code from this folder). Trust the workspace ("Workspaces: Manage Workspace Trust") to use it.`,
        );
        this.name = 'UntrustedWorkspaceError';
    }
}

export function assertTrusted(trust: TrustSource, action: string): void {
    if (!trust.isTrusted()) throw new UntrustedWorkspaceError(action);
}
