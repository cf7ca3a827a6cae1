import {
    parseStepRolloutsReply,
    parseStepRolloutsStep,
    type GroupView,
    type RolloutView,
    type RunHeads,
    type TrajectoryState,
    type TrajectoryToHost,
    type TrajectoryToView,
} from '../../protocol/trajectory-messages.js';
import { element } from '../common/dom.js';
import { HeatmapCanvas } from '../common/heatmap-canvas.js';
import { ownValue } from '../common/own-key.js';
import type { HostConnection } from '../common/vscode-api.js';
import { Navigator } from './nav.js';
import {
    agentSummaryView,
    agreementList,
    estimatorsTable,
    groupTable,
    groupTree,
    rescoreView,
    rubricTable,
    whatIfView,
} from './tables.js';
import { Timeline } from './timeline.js';
import { tokenHeatmap, type TokenMode } from './token-heatmap.js';
import { TurnMessages } from './turn-messages.js';

const MAX_EDITABLE = 200_000;

type Host = HostConnection<TrajectoryToHost, TrajectoryState>;

function section(title: string, ...children: Node[]): { root: HTMLElement; body: HTMLElement } {
    const body = element('div', { className: 'section-body' }, ...children);
    return { root: element('section', { className: 'panel' }, element('h2', { text: title }), body), body };
}

function button(label: string, onClick: () => void, id?: string): HTMLElement {
    const b = element('vscode-button' as 'button', { text: label, attrs: id ? { id } : {} });
    b.addEventListener('click', onClick);
    return b;
}

/**
 * The trajectory view: navigation, turn timeline, the selected message (text, token heatmap, what-if editor), the
 * agents × turns credit heatmap, estimators side by side, rubric breakdown, group view and re-scoring. It renders
 * what the host computed and posts intents; stepping works here alone (no debug session needed).
 */
export class TrajectoryApp {
    private run: RunHeads | undefined;
    private rollout: RolloutView | undefined;
    private turn = 0;
    private method = '';
    private tokenMode: TokenMode = 'credit';
    private debugging = false;
    private readonly header = element('div', { className: 'run-header' });
    private readonly notices = element('ul', { className: 'notices', attrs: { 'aria-live': 'polite' } });
    private readonly nav = new Navigator(
        (s) => this.open(s.step, s.rollout, 0),
        (s) => this.host.post({ type: 'trajectory/debugRollout', step: s.step, rollout: s.rollout }),
        (step) => this.host.post({ type: 'trajectory/stepRollouts', step }),
    );
    private readonly methodSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
    private readonly turnLabel = element('span', { className: 'turn-label', attrs: { 'aria-live': 'polite' } });
    private readonly timeline = new Timeline((t) => this.focus(t, true));
    private readonly text = new TurnMessages();
    private readonly tokens = element('div', { className: 'token-box' });
    private readonly turnInfo = element('div', { className: 'turn-info' });
    private readonly editor = document.createElement('vscode-textarea') as HTMLElement & { value: string };
    private readonly whatIf = element('div', { className: 'whatif' });
    private readonly heatmap = new HeatmapCanvas({
        onCell: (_row, column) => this.focus(column, true),
        label: 'agents × turns credit',
    });
    private readonly stepHeatmap = new HeatmapCanvas({ label: 'step mean credit, agents × turn index' });
    private readonly agents = section('Agents over the run: share of the credit per estimator');
    private readonly estimators = section('Estimators side by side');
    private readonly rubric = section('Rubric');
    private readonly group = section('Group');
    private readonly rescore = section('Re-score with the .mas rubric');

    constructor(
        root: HTMLElement,
        private readonly host: Host,
    ) {
        this.agents.root.classList.add('agent-summary-panel');
        this.methodSelect.setAttribute('aria-label', 'credit method');
        this.methodSelect.addEventListener('change', () => this.setMethod(this.methodSelect.value));
        this.editor.setAttribute('aria-label', 'edit message');
        this.editor.setAttribute('rows', '3');
        // The label names the current colouring and what a click switches to (first-hour bug B10: it read the same in
        // both states).
        const modeLabel = (): string =>
            this.tokenMode === 'credit'
                ? 'Tokens coloured by credit — show log-probability'
                : 'Tokens coloured by log-probability — show credit';
        const modeToggle = button(
            modeLabel(),
            () => {
                this.tokenMode = this.tokenMode === 'credit' ? 'logprob' : 'credit';
                modeToggle.textContent = modeLabel();
                this.renderTurn();
            },
            'token-mode',
        );
        const stepper = element(
            'div',
            { className: 'stepper' },
            button('◀ Previous turn', () => this.focus(this.turn - 1, true), 'prev-turn'),
            this.turnLabel,
            button('Next turn ▶', () => this.focus(this.turn + 1, true), 'next-turn'),
            element('label', { className: 'nav-field' }, element('span', { text: 'Credit' }), this.methodSelect),
        );
        const message = section(
            'Turn',
            this.turnInfo,
            this.text.element,
            modeToggle,
            this.tokens,
            element(
                'div',
                { className: 'whatif-editor' },
                element('span', { text: 'What if this agent had said:' }),
                this.editor,
                button('Re-score', () => this.requestWhatIf(), 'whatif-run'),
            ),
            this.whatIf,
        );
        const heat = section('Credit: agents × turns', this.heatmap.element);
        const stepHeat = section('Step aggregate: mean credit, agents × turn index', this.stepHeatmap.element);
        this.rescore.body.append(
            button(
                'Re-score this run with the rubric in the .mas file',
                () => host.post({ type: 'trajectory/rescore' }),
                'rescore-run',
            ),
        );
        root.replaceChildren(
            this.header,
            this.notices,
            this.agents.root,
            this.nav.element,
            stepper,
            element(
                'div',
                { className: 'columns' },
                element('div', { className: 'column' }, section('Turns', this.timeline.element).root, message.root),
                element(
                    'div',
                    { className: 'column' },
                    heat.root,
                    this.estimators.root,
                    this.rubric.root,
                    this.group.root,
                    stepHeat.root,
                    this.rescore.root,
                ),
            ),
        );
        new ResizeObserver(() => {
            this.heatmap.draw();
            this.stepHeatmap.draw();
        }).observe(root);
    }

    handle(message: TrajectoryToView): void {
        switch (message.type) {
            case 'trajectory/run':
                return this.setRun(message.run);
            case 'trajectory/stepRollouts':
                return this.setStepRollouts(message);
            case 'trajectory/rollout':
                return this.showRollout(message.view);
            case 'trajectory/group':
                return this.showGroup(message.view);
            case 'trajectory/stepHeatmap':
                return this.stepHeatmap.setData(message.grid);
            case 'trajectory/focus':
                this.debugging = message.debugging;
                if (this.rollout?.step !== message.step || this.rollout.record.rollout !== message.rollout)
                    this.open(message.step, message.rollout, message.turn);
                else this.focus(message.turn, false);
                return;
            case 'trajectory/whatIf':
                return void this.whatIf.replaceChildren(whatIfView(message.result));
            case 'trajectory/rescore':
                return void this.rescore.body.replaceChildren(
                    this.rescore.body.firstChild!,
                    rescoreView(message.result, (s, r) => this.open(s, r, 0)),
                );
            case 'trajectory/rescoreFailed':
                return void this.rescore.body.replaceChildren(
                    this.rescore.body.firstChild!,
                    element('p', { className: 'notice notice-error rescore-error', text: message.message }),
                );
            case 'trajectory/notice':
                return this.notice(message.severity, message.message);
        }
    }

    /** Redraw canvases (theme change). */
    redraw(): void {
        this.heatmap.draw();
        this.stepHeatmap.draw();
        this.renderTurn();
    }

    private setRun(run: RunHeads): void {
        this.run = run;
        this.header.replaceChildren(
            element('span', { className: 'run-name', text: run.name }),
            element('span', { text: ` · ${run.workflow} · ${run.status}` }),
            element('span', {
                className: 'hint',
                text: ` · ${run.steps.length} steps${run.hasCritic ? ' · critic.onnx' : ''}`,
            }),
        );
        this.notices.replaceChildren();
        for (const issue of run.issues.slice(0, 20)) this.notice('warning', issue);
        if (run.issues.length > 20)
            this.notice('warning', `… and ${run.issues.length - 20} more corrupt lines (see the MAS Studio log).`);
        this.agents.body.replaceChildren(agentSummaryView(run.agentSummary));
        this.nav.setRun(run);
        const state = this.host.restoredState();
        const restored = state?.root === run.root ? state : undefined;
        this.method =
            restored?.method && run.creditMethods.includes(restored.method)
                ? restored.method
                : (run.creditMethods[0] ?? '');
        this.methodSelect.replaceChildren(
            ...run.creditMethods.map((m) => element('vscode-option' as 'option', { text: m, attrs: { value: m } })),
        );
        this.methodSelect.value = this.method;
        // The latest recorded step first (the host sends its rollouts with the heads): what a user opening a run (often
        // still training) wants to see.
        const latest = run.opened?.rollouts[0];
        if (restored?.step != null && restored.rollout != null)
            this.open(restored.step, restored.rollout, restored.turn);
        else if (latest && run.opened) this.open(run.opened.step, latest.rollout, 0);
        else this.notice('info', 'This run has no recorded trajectories yet; they appear after the first step.');
    }

    /** A step's rollouts from the host or a report's data (untrusted: checked field by field before use). */
    private setStepRollouts(message: unknown): void {
        const step = parseStepRolloutsStep(message);
        if (step === undefined) return;
        const none = (message as { rollouts?: unknown }).rollouts === null;
        const rollouts = none ? null : parseStepRolloutsReply(message)?.rollouts;
        if (none) this.notice('info', `Step ${step} has no recorded trajectories in this run.`);
        else if (!rollouts)
            this.notice('error', `The rollouts of step ${step} could not be read; reopen the run to index it again.`);
        this.nav.setStepRollouts(step, rollouts ?? null);
    }

    private open(step: number, rollout: number, turn: number): void {
        this.turn = turn;
        this.host.post({ type: 'trajectory/openRollout', step, rollout });
    }

    private showRollout(view: RolloutView): void {
        const previous = this.rollout;
        this.rollout = view;
        const record = view.record;
        void this.nav.show({ step: view.step, group: record.group, rollout: record.rollout });
        this.timeline.setRollout(record, this.method, view.tokenCounts);
        this.estimators.body.replaceChildren(
            estimatorsTable(record, Object.keys(view.heatmaps)),
            element('h3', { text: 'Agreement over this step (rank correlation)' }),
            agreementList(view.agreement),
        );
        this.rubric.body.replaceChildren(
            view.rubric ? rubricTable(view.rubric.criteria) : element('p', { text: 'No rubric in run.json.' }),
        );
        this.renderHeatmap();
        if (previous?.record.group !== record.group || previous.step !== view.step) {
            this.host.post({ type: 'trajectory/openGroup', step: view.step, group: record.group });
        }
        if (previous?.step !== view.step)
            this.host.post({ type: 'trajectory/stepHeatmap', step: view.step, method: this.method });
        this.whatIf.replaceChildren();
        this.focus(Math.min(this.turn, Math.max(0, record.turns.length - 1)), false);
    }

    private showGroup(view: GroupView): void {
        const open = (rollout: number) => this.open(view.step, rollout, 0);
        this.group.body.replaceChildren(
            element('p', {
                className: 'hint',
                text: `step ${view.step}, group ${view.group}: ${view.members.length} rollouts${view.tree ? ' (counterfactual tree)' : ''}`,
            }),
            groupTable(view, open),
            ...(view.tree ? [element('h3', { text: 'Tree' }), groupTree(view, open)] : []),
        );
        // VS Code's context menu on a rollout ("Debug this Rollout", package.json webview/context) reads this.
        for (const link of this.group.body.querySelectorAll<HTMLElement>('a[data-rollout]')) {
            const context = { webviewSection: 'rollout', runDir: this.run?.root, step: view.step };
            link.dataset['vscodeContext'] = JSON.stringify({ ...context, rollout: Number(link.dataset['rollout']) });
        }
    }

    private setMethod(method: string): void {
        if (!method || method === this.method) return;
        this.method = method;
        this.timeline.setMethod(method);
        this.renderHeatmap();
        this.renderTurn();
        if (this.rollout) this.host.post({ type: 'trajectory/stepHeatmap', step: this.rollout.step, method });
        this.save();
    }

    private renderHeatmap(): void {
        const grid = ownValue(this.rollout?.heatmaps, this.method);
        if (grid) this.heatmap.setData(grid);
    }

    /** Moves to a turn; `byUser` posts it so the host (and a debug session) can follow. */
    private focus(turn: number, byUser: boolean): void {
        const record = this.rollout?.record;
        if (!record || record.turns.length === 0) return;
        this.turn = Math.max(0, Math.min(record.turns.length - 1, turn));
        this.timeline.select(this.turn);
        // Heatmap columns are turn indices (analysis/run-dir/heatmap.ts), so the selected turn is the current column.
        this.heatmap.setCurrentColumn(this.turn);
        this.renderTurn();
        this.save();
        if (byUser)
            this.host.post({
                type: 'trajectory/focusTurn',
                step: record.step,
                rollout: record.rollout,
                turn: this.turn,
            });
    }

    private renderTurn(): void {
        const record = this.rollout?.record;
        const turn = record?.turns[this.turn];
        if (!record || !turn) return;
        this.turnLabel.textContent = `turn ${this.turn + 1} / ${record.turns.length}${this.debugging ? ' (debugger)' : ''}`;
        const decision = record.decision_turns.indexOf(this.turn);
        const credit = decision >= 0 ? ownValue(record.credit, this.method)?.[decision] : undefined;
        const omitted = this.rollout?.tokenCounts?.[this.turn];
        this.turnInfo.replaceChildren(
            element('span', { className: 'turn-agent', text: turn.agent }),
            element('span', { className: 'turn-role', text: ` (${turn.role})` }),
            element('span', {
                className: 'hint',
                text: ` · ${omitted ?? turn.token_ids.length} tokens · ${turn.frozen === true ? 'frozen: never trained, no training credit' : `${this.method} credit ${credit === undefined ? '–' : credit.toFixed(4)}`}${turn.nulled ? ' · nulled' : ''}`,
            }),
        );
        this.text.show(turn, this.rollout?.chat?.[this.turn]);
        this.tokens.replaceChildren(
            omitted !== undefined
                ? element('p', {
                      className: 'hint',
                      text: 'Token ids and log-probabilities are left out of this report; write it with `mas report --tokens` for the token view.',
                  })
                : tokenHeatmap(turn, credit, this.tokenMode, this.run?.charAgents.includes(turn.agent) ?? false),
        );
        this.tokens.classList.toggle('chat-tokens', this.text.isChat);
        // A multi-megabyte message is shown (virtualised) but not copied into the editor, which would stall the page.
        const editable = turn.output.length <= MAX_EDITABLE;
        this.editor.value = editable ? turn.output : '';
        this.editor.toggleAttribute('disabled', !editable);
        this.editor.setAttribute(
            'placeholder',
            editable
                ? ''
                : `This message has ${turn.output.length} characters; what-if editing works up to ${MAX_EDITABLE}.`,
        );
    }

    private requestWhatIf(): void {
        const record = this.rollout?.record;
        if (!record) return;
        this.whatIf.replaceChildren(element('p', { className: 'hint', text: 'Re-scoring…' }));
        this.host.post({
            type: 'trajectory/whatIf',
            step: record.step,
            rollout: record.rollout,
            turn: this.turn,
            output: String(this.editor.value ?? ''),
        });
    }

    private notice(severity: 'info' | 'warning' | 'error', text: string): void {
        this.notices.append(element('li', { className: `notice notice-${severity}`, text }));
    }

    private save(): void {
        if (!this.run) return;
        this.host.saveState({
            view: 'trajectory',
            root: this.run.root,
            step: this.rollout?.step ?? null,
            rollout: this.rollout?.record.rollout ?? null,
            turn: this.turn,
            method: this.method || null,
        });
    }
}
