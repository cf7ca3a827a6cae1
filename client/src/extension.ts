/**
 * Extension host entry (bundled to out/client.cjs). Activation registers the commands first, so they
 * exist even while the language server is still starting; the LanguageClient starts with the first .mas document.
 */
import type * as vscode from 'vscode';
import { MasContext } from './mas-context.js';
import { registerTrajectoryFeatures } from './trajectory/index.js';

let active: MasContext | undefined;

export async function activate(extensionContext: vscode.ExtensionContext): Promise<void> {
    active = new MasContext(extensionContext);
    active.registerCommands();
    registerTrajectoryFeatures(active);
    active.startLanguageClientOnDemand();
}

export async function deactivate(): Promise<void> {
    const ctx = active;
    active = undefined;
    await ctx?.dispose();
}
