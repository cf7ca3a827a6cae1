/**
 * The ids of the commands the extension contributes (package.json `contributes.commands`, category "MAS").
 * The client registers a handler for each (client/src/command-table.ts); the language server's code lenses
 * (server/src/language/lsp/mas-code-lens.ts) and the status bar name them from here, never as string literals.
 */
export const COMMAND_IDS = {
    startTraining: 'mas.training.start',
    stopTraining: 'mas.training.stop',
    openRun: 'mas.run.open',
    refreshRuns: 'mas.runs.refresh',
    showGraph: 'mas.graph.show',
    showDashboard: 'mas.dashboard.show',
    /** A Runs view row's "Compare in Dashboard": overlays the run on the dashboard's run (view/item/context). */
    compareInDashboard: 'mas.dashboard.compare',
    showTrajectories: 'mas.trajectory.show',
    selectPython: 'mas.trainer.selectPython',
    checkEnv: 'mas.trainer.checkEnv',
    setupEnv: 'mas.trainer.setupEnv',
    openTensorBoard: 'mas.tensorboard.open',
    exportReport: 'mas.report.export',
    revealRun: 'mas.run.reveal',
    deleteRun: 'mas.run.delete',
    debugRun: 'mas.run.debug',
    exportAgents: 'mas.run.exportAgents',
    /** The trajectory view's context menu on a rollout (`webview/context`); not in the palette. */
    debugRolloutInView: 'mas.trajectory.debugRollout',
} as const;

export type CommandName = keyof typeof COMMAND_IDS;
export type CommandId = (typeof COMMAND_IDS)[CommandName];
