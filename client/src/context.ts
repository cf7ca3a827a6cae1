/**
 * The one object that owns everything the extension creates, in two scopes (as rust-analyzer's ctx.ts):
 * - the extension's lifetime: output channels, the training side, the panels, the workers, the debugger, the
 *   command table;
 * - the language client's lifetime: the client itself and what depends on it.
 * Disposing the context releases the client scope first (the server is stopped while its output channel still
 * exists), then the extension scope, last-acquired first.
 */
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node.js';
import { RunDirWorkerClient } from '../../analysis/run-dir/worker-client.js';
import {
    COMPILE_EXPRESSION_REQUEST,
    COMPILE_REQUEST,
    GRAPH_REQUEST,
    WORKSPACE_TRUST_NOTIFICATION,
    type CompileExpressionParams,
    type CompileExpressionResult,
    type CompileResult,
    type GraphResponse,
} from '../../protocol/lsp.js';
import { commandTable, registerCommandTable } from './command-table.js';
import { registerTrajectoryDebugger } from './debug/register.js';
import { OnnxCriticScorer } from './onnx/critic-scorer.js';
import { MasPanels } from './views/index.js';
import { RunFollowers } from './runs/run-followers.js';
import { DisposableScope } from './scope.js';
import { pickTrajectoryRun } from './runs/run-picker.js';
import { registerRunsView } from './runs/runs-view.js';
import { TrainerAttachment } from './training/trainer-attachment.js';
import { Training } from './training/training.js';

export class MasContext implements vscode.Disposable {
    private readonly extensionScope = new DisposableScope();
    private readonly clientScope = new DisposableScope();
    private client: LanguageClient | undefined;
    /** Settles when the language client has started (or failed to): requests wait for it. */
    private clientStarted: Promise<void> | undefined;
    readonly output: vscode.OutputChannel;
    /** One follower per run directory, shared by the dashboard and the followed trainers (so the status bar). */
    readonly followers: RunFollowers;
    readonly training: Training;
    readonly panels: MasPanels;

    /**
     * Activation: the commands are registered before the server is ready, so a command palette entry never fails
     * with "not found"; the language client starts with the first .mas document (or the first command needing it).
     */
    constructor(readonly extension: vscode.ExtensionContext) {
        const scope = this.extensionScope;
        this.output = scope.push(vscode.window.createOutputChannel('MAS Studio', { log: true }));
        this.followers = scope.push(new RunFollowers());
        this.training = new Training(extension, (uri) => this.compile(uri), scope, this.followers);
        // The run reader and the what-if critic each live in a worker thread started on first use.
        const out = (name: string) => vscode.Uri.joinPath(extension.extensionUri, 'out', name).fsPath;
        const reader = new RunDirWorkerClient(out('run-dir-worker.cjs'), {
            cacheDir: vscode.Uri.joinPath(extension.globalStorageUri, 'run-index').fsPath,
        });
        const critic = new OnnxCriticScorer(out('critic-worker.cjs'), () => vscode.workspace.isTrusted);
        scope.push({ dispose: () => void reader.dispose() });
        scope.push({ dispose: () => void critic.dispose() });
        this.panels = new MasPanels(this, scope, { reader, critic });
        scope.pushAll(
            registerTrajectoryDebugger({
                reader,
                onTurn: (body) => this.panels.followTurn(body),
                onEnded: (runDir) => this.panels.debugEnded(runDir),
                pickRunDirectory: pickTrajectoryRun,
                compileExpression: (params) => this.compileExpression(params),
            }),
        );
        const trainers = this.training.trainers;
        const runs = registerRunsView(
            {
                folders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
                followed: () => trainers.running.map((t) => t.runDir),
                alive: (runDir) => TrainerAttachment.trainerAlive(runDir),
                index: (runDir) => reader.index(runDir),
            },
            (listener) => trainers.onDidChange.on(listener),
        );
        scope.pushAll(runs.disposables);
        const actions = {
            reader,
            webviewDir: out('webview'),
            running: () => trainers.running.map((t) => t.runDir),
        };
        scope.pushAll(
            registerCommandTable(commandTable(this.training, this.panels, runs.provider, actions), this.training.log),
        );
        // Trainers started by an earlier window keep running (detached): follow them again, off the activation path.
        setImmediate(() => this.training.reattach());
        this.startLanguageClientOnDemand();
    }

    /** `mas/compile` through the language client (protocol/lsp.ts). */
    async compile(uri: string): Promise<CompileResult> {
        await this.ensureLanguageClient().catch(() => undefined);
        const client = this.client;
        if (!client?.isRunning())
            throw new Error(
                'MAS: the language server is not running, so the workflow cannot be compiled; see the "MAS Studio" output channel.',
            );
        return client.sendRequest(COMPILE_REQUEST, { uri });
    }

    /** `mas/compileExpression` through the language client: the debugger's conditions and console expressions. */
    async compileExpression(params: CompileExpressionParams): Promise<CompileExpressionResult> {
        await this.ensureLanguageClient().catch(() => undefined);
        const client = this.client;
        if (!client?.isRunning())
            throw new Error(
                'the MAS language server is not running, so the expression cannot be compiled; see the "MAS Studio" output channel.',
            );
        return client.sendRequest(COMPILE_EXPRESSION_REQUEST, params);
    }

    /** `mas/graph` through the language client (protocol/lsp.ts), for the graph view. */
    async requestGraph(uri: string): Promise<GraphResponse> {
        await this.ensureLanguageClient().catch(() => undefined);
        const client = this.client;
        if (!client?.isRunning())
            throw new Error('the MAS language server is not running; see the "MAS Studio" output channel.');
        return client.sendRequest(GRAPH_REQUEST, { uri });
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
    private startLanguageClientOnDemand(): void {
        const start = (): void => {
            this.ensureLanguageClient().catch((error: Error) =>
                this.output.appendLine(`language server failed to start: ${error.message}`),
            );
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
        this.extensionScope.push(opened);
    }

    private async startLanguageClient(): Promise<void> {
        // Loaded here, not at the top: evaluating the client library is most of the bundle's load time.
        const { LanguageClient, TransportKind } = await import('vscode-languageclient/node.js');
        const serverModule = vscode.Uri.joinPath(this.extension.extensionUri, 'out', 'server.cjs').fsPath;
        const serverOptions: ServerOptions = {
            run: { module: serverModule, transport: TransportKind.ipc },
            debug: {
                module: serverModule,
                transport: TransportKind.ipc,
                options: { execArgv: ['--nolazy', '--inspect=6009'] },
            },
        };
        const clientOptions: LanguageClientOptions = {
            documentSelector: [{ language: 'mas' }],
            outputChannel: this.output,
        };
        const client = new LanguageClient('mas', 'MAS Language Server', serverOptions, clientOptions);
        this.client = client;
        this.clientScope.push({
            dispose: async () => {
                if (this.client === client) this.client = undefined;
                await client.stop();
            },
        });
        await client.start();
        // The server marks verifier declarations while the workspace is untrusted (they never run there).
        const announceTrust = () =>
            void client
                .sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: vscode.workspace.isTrusted })
                .catch(() => undefined);
        announceTrust();
        this.clientScope.push(vscode.workspace.onDidGrantWorkspaceTrust(announceTrust));
    }

    async dispose(): Promise<void> {
        await this.clientScope.dispose();
        await this.extensionScope.dispose();
    }
}
