/** The contributed commands. Until the trainer and graph view land they say so instead of failing. */
import * as vscode from 'vscode';

export const COMMAND_IDS = { startTraining: 'mas.training.start', showGraph: 'mas.graph.show' } as const;

export function registerStubCommands(): vscode.Disposable[] {
    return [
        vscode.commands.registerCommand(COMMAND_IDS.startTraining, () =>
            vscode.window.showInformationMessage('MAS: training is not available yet — it arrives with the trainer integration.')),
        vscode.commands.registerCommand(COMMAND_IDS.showGraph, () =>
            vscode.window.showInformationMessage('MAS: the graph view is not available yet — it arrives with the webviews.')),
    ];
}
