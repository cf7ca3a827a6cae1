import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type {
    AgentSummary,
    Agreement,
    CriterionRow,
    GroupMember,
    GroupView,
    RescoreResult,
    WhatIfResult,
} from '../../protocol/trajectory-messages.js';
import { element } from '../common/dom.js';
import { ownValue } from '../common/own-key.js';
import { fmt } from './format.js';

/** A plain table; every cell is text. */
export function table(headers: string[], rows: (string | Node)[][], className = 'data-table'): HTMLTableElement {
    const head = element('tr', {}, ...headers.map((h) => element('th', { text: h })));
    const body = rows.map((r) =>
        element('tr', {}, ...r.map((c) => (typeof c === 'string' ? element('td', { text: c }) : element('td', {}, c)))),
    );
    return element('table', { className }, element('thead', {}, head), element('tbody', {}, ...body));
}

export function rubricTable(criteria: CriterionRow[]): HTMLElement {
    const total = criteria.reduce((s, c) => s + (Number.isNaN(c.weight) ? 0 : c.weight * c.score), 0);
    return table(
        ['criterion', 'weight', 'score', 'weighted', 'error'],
        [
            ...criteria.map((c) => [c.name, fmt(c.weight, 2), fmt(c.score), fmt(c.weight * c.score), c.error ?? '']),
            ['total', '', '', fmt(total), ''],
        ],
        'data-table rubric-table',
    );
}

/** Estimators side by side: one row per decision, one column per credit method. */
export function estimatorsTable(record: TrajectoryRecord, methods: string[]): HTMLElement {
    const rows = record.decision_turns.map((turn, j) => [
        String(turn),
        record.turns[turn]?.agent ?? '?',
        ...methods.map((m) => fmt(ownValue(record.credit, m)?.[j])),
    ]);
    return table(['turn', 'agent', ...methods], rows, 'data-table estimators-table');
}

/** A mean credit to 3 decimals, without the `-0.000` of a tiny negative mean. */
function signed(value: number | null): string {
    const text = fmt(value);
    return text === '-0.000' ? '0.000' : text;
}

/** A share of the credit as a percentage (`–` when the agent did not act or every credit is 0). */
function share(value: number | null): string {
    return value === null ? '–' : `${Number((value * 100).toFixed(1))} %`;
}

/**
 * The per-agent run summary: agents × recorded estimators, each cell the agent's share of the absolute credit over
 * the run and its mean credit; the estimators the lazy flag reads are marked, flagged agents say so in their row.
 */
export function agentSummaryView(summary: AgentSummary): HTMLElement {
    const separating = new Set(summary.separating);
    const headers = [
        'agent',
        ...summary.methods.map((m) => `${m}${separating.has(m) ? ' *' : ''}: share · mean`),
        'flag',
    ];
    const body = table(
        headers,
        summary.rows.map((row) =>
            row.frozen
                ? [row.agent, ...row.cells.map(() => 'frozen'), 'frozen: never trained, no training credit']
                : [
                      row.agent,
                      ...row.cells.map((c) => (c.decisions === 0 ? '–' : `${share(c.share)} · ${signed(c.mean)}`)),
                      row.lazy ?? '',
                  ],
        ),
        'data-table agent-summary-table',
    );
    body.querySelectorAll('tbody tr').forEach((tr, i) => {
        if (summary.rows[i]?.lazy !== undefined) tr.classList.add('lazy-agent');
        if (summary.rows[i]?.frozen) tr.classList.add('frozen-agent');
    });
    return element(
        'div',
        { className: 'agent-summary' },
        body,
        element('p', {
            className: summary.rows.some((r) => r.lazy) ? 'agent-summary-note flagged' : 'agent-summary-note hint',
            text: summary.note,
        }),
        separating.size > 0
            ? element('p', {
                  className: 'hint',
                  text: `* separates agents by their counterfactual contribution; an agent under ${Number((summary.threshold * 100).toFixed(1))} % of the credit under each of these is flagged lazy.`,
              })
            : element('span'),
    );
}

export function agreementList(agreement: Agreement[]): HTMLElement {
    if (agreement.length === 0)
        return element('p', { className: 'hint', text: 'Only one estimator is recorded in this run.' });
    return table(
        ['estimators', 'Spearman ρ', 'decisions'],
        agreement.map((a) => [
            `${a.a} ↔ ${a.b}`,
            a.rho === null ? 'undefined (constant)' : fmt(a.rho),
            String(a.decisions),
        ]),
        'data-table agreement-table',
    );
}

/** The G rollouts of a group; rows are clickable to open the rollout. */
export function groupTable(view: GroupView, onOpen: (rollout: number) => void): HTMLElement {
    const methods = [...new Set(view.members.flatMap((m) => Object.keys(m.credit)))];
    const rows = view.members.map((m) => {
        const open = element('a', {
            text: `rollout ${m.rollout}`,
            attrs: { href: '#', 'data-rollout': String(m.rollout) },
        });
        open.addEventListener('click', (e) => {
            e.preventDefault();
            onOpen(m.rollout);
        });
        const meanCredit = methods.map((k) => fmt(mean(ownValue(m.credit, k))));
        return [
            open,
            String(m.sample),
            m.parent === null ? '' : String(m.parent),
            fmt(m.reward),
            fmt(m.advantage),
            ...meanCredit,
        ];
    });
    return table(
        ['rollout', 'sample', 'parent', 'reward', 'advantage', ...methods.map((k) => `mean ${k}`)],
        rows,
        'data-table group-table',
    );
}

/** Counterfactual tree: members nested under their `parent`; roots are members without a parent in the group. */
export function groupTree(view: GroupView, onOpen: (rollout: number) => void): HTMLElement {
    const ids = new Set(view.members.map((m) => m.rollout));
    const children = new Map<number | null, GroupMember[]>();
    for (const m of view.members) {
        const parent = m.parent !== null && ids.has(m.parent) ? m.parent : null;
        children.get(parent)?.push(m) ?? children.set(parent, [m]);
    }
    const seen = new Set<number>();
    const build = (parent: number | null): HTMLElement =>
        element(
            'ul',
            { className: 'tree' },
            ...(children.get(parent) ?? [])
                .filter((m) => !seen.has(m.rollout))
                .map((m) => {
                    seen.add(m.rollout);
                    const label = element('a', {
                        text: `rollout ${m.rollout} · reward ${fmt(m.reward)}`,
                        attrs: { href: '#', 'data-rollout': String(m.rollout) },
                    });
                    label.addEventListener('click', (e) => {
                        e.preventDefault();
                        onOpen(m.rollout);
                    });
                    return element('li', {}, label, build(m.rollout));
                }),
        );
    return build(null);
}

export function whatIfView(result: WhatIfResult): HTMLElement {
    const names = result.after.criteria.map((c) => c.name);
    const score = (rows: CriterionRow[], name: string) => fmt(rows.find((c) => c.name === name)?.score);
    const parts: HTMLElement[] = [
        table(
            ['', 'before', 'after'],
            [
                ['reward', fmt(result.before.reward), fmt(result.after.reward)],
                ...names.map((n) => [n, score(result.before.criteria, n), score(result.after.criteria, n)]),
            ],
            'data-table whatif-table',
        ),
    ];
    if (result.critic && 'error' in result.critic)
        parts.push(
            element('p', {
                className: 'notice notice-warning',
                text: `Critic credit not recomputed: ${result.critic.error}`,
            }),
        );
    else if (result.critic) {
        const { before, after, criticStep } = result.critic;
        const which =
            criticStep === result.step
                ? `Critic credit from critic.onnx, exported at step ${criticStep} (this step).`
                : `Critic credit from the run's latest critic.onnx, exported at step ${criticStep}: not from the critic as it was at step ${result.step}.`;
        parts.push(element('p', { className: 'hint critic-step', text: which }));
        parts.push(
            table(
                ['decision', 'critic before', 'critic after'],
                before.map((b, i) => [String(i), fmt(b), fmt(after[i])]),
                'data-table critic-table',
            ),
        );
    } else
        parts.push(
            element('p', { className: 'hint', text: 'This run has no critic.onnx: only the rubric is re-scored.' }),
        );
    return element('div', { className: 'whatif-result' }, ...parts);
}

export function rescoreView(result: RescoreResult, onOpen: (step: number, rollout: number) => void): HTMLElement {
    const changed = [...result.rows].sort((a, b) => a.rankAfter - b.rankAfter).slice(0, 50);
    const rows = changed.map((r) => {
        const open = element('a', { text: `${r.step}/${r.rollout}`, attrs: { href: '#' } });
        open.addEventListener('click', (e) => {
            e.preventDefault();
            onOpen(r.step, r.rollout);
        });
        const move = r.rankBefore - r.rankAfter;
        return [
            open,
            fmt(r.before),
            fmt(r.after),
            String(r.rankBefore),
            String(r.rankAfter),
            move === 0 ? '=' : move > 0 ? `▲${move}` : `▼${-move}`,
        ];
    });
    return element(
        'div',
        { className: 'rescore-result' },
        result.note ? element('p', { className: 'hint rescore-note', text: result.note }) : element('span'),
        element('p', {
            text: `Rubric '${result.rubric}' from ${result.source}; credit: ${result.method}; rank correlation of rewards before/after: ${result.rankCorrelation === null ? 'undefined' : fmt(result.rankCorrelation)}`,
        }),
        table(
            ['agent', `mean ${result.method} before`, 'after'],
            result.agentCredit.map((a) => [a.agent, fmt(a.before), fmt(a.after)]),
            'data-table agent-credit-table',
        ),
        table(
            ['step/rollout', 'reward before', 'after', 'rank before', 'rank after', 'move'],
            rows,
            'data-table rescore-table',
        ),
        result.rows.length > 50
            ? element('p', { className: 'hint', text: `Top 50 of ${result.rows.length} rollouts by new reward.` })
            : element('span'),
    );
}

function mean(values: number[] | undefined): number | null {
    return values && values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}
