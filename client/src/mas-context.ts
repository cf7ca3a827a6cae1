/**
 * The one object that owns everything the extension creates: disposables, the language client,
 * and (in later issues) trainer processes and webview panels. Disposing it releases them all.
 */
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node.js';
import { COMPILE_REQUEST, GRAPH_REQUEST, type CompileResult, type GraphResponse } from '../../protocol/lsp.js';
import { registerCommands } from './commands.js';
import { TrainingFeature } from './training-feature.js';
import { MasPanels, showDashboard, showGraph } from './panels/index.js';

export class MasContext {
    private readonly disposables: vscode.Disposable[] = [];
    private client: LanguageClient | undefined;
    /** Settles when the language client has started (or failed to): requests wait for it. */
    private clientStarted: Promise<void> | undefined;
    readonly output: vscode.OutputChannel;
    readonly training: TrainingFeature;
    /** Webview panels (dashboard, graph); created at activation because it registers their serializers. */
    readonly panels: MasPanels;

    constructor(readonly extension: vscode.ExtensionContext) {
        this.output = vscode.window.createOutputChannel('MAS Studio', { log: true });
        this.disposables.push(this.output);
        this.training = new TrainingFeature(extension, (uri) => this.compile(uri));
        this.disposables.push(this.training);
        this.panels = new MasPanels(this);
        this.disposables.push(this.panels);
        // The commands mas.dashboard.show / mas.graph.show (training-feature.ts) open the panels through these.
        this.training.setPanels({
            showDashboard: async (runDir) => {
                showDashboard(this, runDir);
                return { dashboard: runDir ?? null };
            },
            showGraph: async (uri) => {
                showGraph(this, uri);
                return { graph: uri.toString() };
            },
        });
    }

    /** `mas/compile` through the language client (protocol/lsp.ts). */
    async compile(uri: string): Promise<CompileResult> {
        await this.ensureLanguageClient().catch(() => undefined);
        const client = this.client;
        if (!client?.isRunning()) throw new Error('MAS: the language server is not running, so the workflow cannot be compiled; see the "MAS Studio" output channel.');
        return client.sendRequest(COMPILE_REQUEST, { uri });
    }

    /** `mas/graph` through the language client (protocol/lsp.ts), for the graph view. */
    async requestGraph(uri: string): Promise<GraphResponse> {
        await this.ensureLanguageClient().catch(() => undefined);
        const client = this.client;
        if (!client?.isRunning()) throw new Error('the MAS language server is not running; see the "MAS Studio" output channel.');
        return client.sendRequest(GRAPH_REQUEST, { uri });
    }

    /** Registers the commands before the server is ready: a command palette entry must never fail with "not found". */
    registerCommands(): void {
        this.disposables.push(...registerCommands(this.training.handlers(), this.training.log));
        // Trainers started by an earlier window keep running (detached): follow them again, off the activation path.
        setImmediate(() => this.training.reattach());
    }

    /** Starts the language client once; later calls share the first start. */
    ensureLanguageClient(): Promise<void> {
        this.clientStarted ??= this.startLanguageClient();
        return this.clientStarted;
    }

    /**
     * Activation does not start the server (activation stays cheap in a workspace that merely contains .mas
     * files): it starts with the first open .mas document, or when a command needs it (compile, graph).
     */
    startLanguageClientOnDemand(): void {
        const start = (): void => {
            this.ensureLanguageClient().catch((error: Error) => this.output.appendLine(`language server failed to start: ${error.message}`));
        };
        if (vscode.workspace.textDocuments.some((d) => d.languageId === 'mas')) {
            start();
            return;
        }
        const opened = vscode.workspace.onDidOpenTextDocument((d) => {
            if (d.languageId !== 'mas') return;
            opened.dispose();
            start();
        });
        this.disposables.push(opened);
    }

    private async startLanguageClient(): Promise<void> {
        // Loaded here, not at the top: evaluating the client library is most of the bundle's load time.
        const { LanguageClient, TransportKind } = await import('vscode-languageclient/node.js');
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
