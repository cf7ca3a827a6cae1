// Activation cost of the bundled extension (out/client.cjs; run `node esbuild.mjs` first): loads it with a
// stand-in `vscode` module (no .mas document open, so no language server may start) and times require() and
// activate(). The server's own start is measured by the language benchmarks.
// Prints figures; passes or fails on nothing but errors.
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const registered = [];
const noop = () => undefined;
const disposable = { dispose: noop };
const event = () => disposable;
const channel = {
    info: noop,
    warn: noop,
    error: noop,
    appendLine: noop,
    append: noop,
    show: noop,
    dispose: noop,
    replace: noop,
    clear: noop,
};
class Uri {
    constructor(fsPath) {
        this.fsPath = fsPath;
        this.scheme = 'file';
    }
    static file(p) {
        return new Uri(p);
    }
    static joinPath(base, ...parts) {
        return new Uri(path.join(base.fsPath, ...parts));
    }
    static parse(s) {
        return new Uri(s);
    }
    toString() {
        return `file://${this.fsPath}`;
    }
}
const vscode = {
    Uri,
    EventEmitter: class {
        constructor() {
            this.event = event;
        }
        fire() {}
        dispose() {}
    },
    Disposable: class {
        static from() {
            return disposable;
        }
        constructor(f) {
            this.dispose = f;
        }
    },
    StatusBarAlignment: { Left: 1 },
    ProgressLocation: { Notification: 15 },
    ConfigurationTarget: { Global: 1 },
    window: {
        createOutputChannel: () => channel,
        createStatusBarItem: () => ({ show: noop, hide: noop, dispose: noop }),
        registerWebviewPanelSerializer: () => disposable,
        onDidChangeActiveTextEditor: event,
    },
    workspace: {
        isTrusted: true,
        workspaceFolders: [],
        textDocuments: [],
        onDidOpenTextDocument: event,
        onDidChangeConfiguration: event,
        onDidGrantWorkspaceTrust: event,
        getConfiguration: () => ({ get: noop, inspect: noop }),
    },
    commands: {
        registerCommand: (id) => {
            registered.push(id);
            return disposable;
        },
        executeCommand: async () => undefined,
    },
    extensions: { getExtension: noop },
    debug: {
        registerDebugAdapterDescriptorFactory: () => disposable,
        registerDebugConfigurationProvider: () => disposable,
        onDidStartDebugSession: event,
        onDidTerminateDebugSession: event,
        onDidReceiveDebugSessionCustomEvent: event,
        onDidChangeActiveDebugSession: event,
    },
    languages: { registerCodeLensProvider: () => disposable },
};
/** Anything the bundle touches that is not stubbed above (the LanguageClient's classes and enums). */
function anything() {
    const target = function () {};
    return new Proxy(target, {
        get: (t, key) => (key === 'prototype' ? t.prototype : key === Symbol.toPrimitive ? () => 0 : anything()),
        construct: () => ({}),
        apply: () => undefined,
    });
}
const vscodeModule = new Proxy(vscode, { get: (t, key) => (key in t ? t[key] : anything()) });
const load = Module._load;
Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscodeModule : load.call(this, request, ...rest);
};

const bundle = path.resolve('out/client.cjs');
const cpu0 = process.cpuUsage();
let t0 = performance.now();
const extension = require(bundle);
const requireMs = performance.now() - t0;
const context = {
    extensionUri: Uri.file(process.cwd()),
    extensionPath: process.cwd(),
    subscriptions: [],
    globalState: { get: noop, update: async () => undefined },
    workspaceState: { get: noop, update: async () => undefined },
};
t0 = performance.now();
extension.activate(context).then(
    () => {
        const activateMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        // CPU time is the steadier figure on a shared machine: wall time includes waiting for a core.
        console.log(
            `activation: require(out/client.cjs) ${requireMs.toFixed(1)} ms + activate() ${activateMs.toFixed(1)} ms = ${(requireMs + activateMs).toFixed(1)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms CPU; ${registered.length} commands registered (${registered.filter((c) => c.startsWith('mas.')).length} mas.*)`,
        );
        process.exit(0);
    },
    (error) => {
        console.error('activate() failed:', error);
        process.exit(1);
    },
);
