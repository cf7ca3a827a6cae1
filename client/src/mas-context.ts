/**
 * The one object that owns everything the extension creates: disposables, the language client,
 * and (in later issues) trainer processes and webview panels. Disposing it releases them all.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { registerStubCommands } from './commands.js';

export class MasContext {
    private readonly disposables: vscode.Disposable[] = [];
    private client: LanguageClient | undefined;
    readonly output: vscode.OutputChannel;

    constructor(readonly extension: vscode.ExtensionContext) {
        this.output = vscode.window.createOutputChannel('MAS Studio', { log: true });
        this.disposables.push(this.output);
    }

    /** Registers the commands before the server is ready: a command palette entry must never fail with "not found". */
    registerCommands(): void {
        this.disposables.push(...registerStubCommands());
    }

    async startLanguageClient(): Promise<void> {
        const serverModule = vscode.Uri.joinPath(this.extension.extensionUri, 'out', 'server.cjs').fsPath;
        const serverOptions: ServerOptions = {
            run: { module: serverModule, transport: TransportKind.ipc },
            debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
        };
        const clientOptions: LanguageClientOptions = {
            documentSelector: [{ language: 'mas' }],
            outputChannel: this.output,
        };
        this.client = new LanguageClient('mas', 'MAS Language Server', serverOptions, clientOptions);
        await this.client.start();
    }

    async dispose(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client) await client.stop();
        for (const d of this.disposables.splice(0).reverse()) d.dispose();
    }
}
