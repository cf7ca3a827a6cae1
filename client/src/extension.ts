/**
 * Extension host entry (bundled to out/client.cjs). Everything the extension creates belongs to one MasContext
 * (context.ts), which VS Code disposes with the extension's subscriptions: no module-level state here.
 */
import type * as vscode from 'vscode';
import { MasContext } from './context.js';

export async function activate(extensionContext: vscode.ExtensionContext): Promise<void> {
    extensionContext.subscriptions.push(new MasContext(extensionContext));
}
