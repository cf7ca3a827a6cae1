/**
 * Whether the editor trusts the workspace (VS Code's Workspace Trust), as the client last announced it
 * (protocol/lsp.ts `mas/workspaceTrust`). `undefined` where no editor said (the CLI, tests): nothing is
 * reported then, since trust is the editor's notion. The checks that depend on it (`verifier-untrusted`)
 * read it at validation time; the server revalidates every document when it changes.
 */
export class WorkspaceTrust {
    private trusted: boolean | undefined;

    isTrusted(): boolean | undefined {
        return this.trusted;
    }

    /** Records the editor's answer; true when it changed (the caller then revalidates). */
    set(trusted: boolean): boolean {
        const changed = this.trusted !== trusted;
        this.trusted = trusted;
        return changed;
    }
}
