import type { ValidationAcceptor } from 'langium';
import { isMethodCall, type Model, type Train } from '../generated/ast.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import type { WorkflowContext } from './workflow-context.js';

/**
 * `attention: flash_attention_2` runs only on a CUDA GPU: a workflow that trains on `device: cpu` with such a model
 * would stop when the trainer loads it (exit 5), so the train block says so first.
 */
export function checkAttentionDevice(
    train: Train,
    context: WorkflowContext | undefined,
    accept: ValidationAcceptor,
): void {
    const setting = train.settings.find((candidate) => candidate.key === 'device');
    const device = isMethodCall(setting?.value) ? setting.value.name : undefined;
    if (!setting || device !== 'cpu' || !context) return;
    const models = new Set<Model>();
    for (const agent of context.agents) {
        const model = agent.model?.model?.ref; // a broken parse can leave the binding without its reference
        if (model?.attention === 'flash_attention_2') models.add(model);
    }
    for (const model of models) {
        report(
            accept,
            'error',
            IssueCodes.AttentionNeedsGpu,
            `The model '${model.name}' uses \`attention: flash_attention_2\`, which runs only on a CUDA GPU, but the run is on \`device: cpu\`; use \`attention: sdpa\` on that model, or \`device: cuda\`.`,
            { node: setting, property: 'value' },
        );
    }
}
