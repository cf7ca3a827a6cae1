import * as vscode from 'vscode';
import type { RunReader } from '../../../../analysis/run-dir/service.js';
import type { TrajectoryToHost, TrajectoryToView } from '../../../../protocol/trajectory-messages.js';
import { PanelHost } from '../common/panel-host.js';
import { TrajectoryController, type ControllerOptions } from './controller.js';
import { parseTrajectoryToHost } from './messages.js';

export const TRAJECTORY_VIEW_TYPE = 'mas.trajectory';

export interface TrajectoryPanelDeps extends Omit<ControllerOptions, 'post' | 'root' | 'reader'> {
    extensionUri: vscode.Uri;
    reader: RunReader;
}

/** One trajectory view on one run directory: a PanelHost (CSP, handshake, checked messages) + a controller. */
export class TrajectoryPanel implements vscode.Disposable {
    readonly controller: TrajectoryController;
    private readonly host: PanelHost<TrajectoryToView, TrajectoryToHost>;

    constructor(
        panel: vscode.WebviewPanel,
        readonly root: string,
        deps: TrajectoryPanelDeps,
        onDispose: () => void,
    ) {
        this.controller = new TrajectoryController({ ...deps, root, post: (m) => this.host.post(m) });
        this.host = new PanelHost<TrajectoryToView, TrajectoryToHost>(panel, deps.extensionUri, {
            bundle: 'trajectory',
            title: 'MAS Trajectories',
            parse: parseTrajectoryToHost,
            onReady: () => void this.controller.handle({ type: 'ready' }),
            onMessage: (m) => void this.controller.handle(m),
            onDispose,
            ...(deps.log ? { log: deps.log } : {}),
        });
    }

    reveal(): void {
        this.host.panel.reveal(undefined, true);
    }

    dispose(): void {
        this.host.dispose();
    }
}
