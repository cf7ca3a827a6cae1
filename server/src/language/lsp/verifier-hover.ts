import { verifierUsage } from '../../../../protocol/verifier-builtins.js';
import type { Verifier } from '../generated/ast.js';
import { builtinSignature } from '../scope/builtin-verifiers.js';
import { signatureOf } from '../typing/verifier-call-types.js';

/** The signature, where the Python function lives (or the built-in's documentation), and how it scores. */
export function verifierMarkdown(verifier: Verifier): string {
    const signature = `\`${verifierUsage(signatureOf(verifier))}\``;
    const scoring =
        verifier.returns === 'bool'
            ? 'A criterion scores `true` as 1 and `false` as 0.'
            : 'A criterion scores the number it returns.';
    const failure =
        'An exception, a timeout or a value of the wrong type scores the criterion null (counted in `verifier_errors`).';
    const builtin = builtinSignature(verifier);
    if (builtin) {
        return [`**built-in verifier** ${signature}`, builtin.doc, `${scoring} ${failure}`].join('\n\n');
    }
    const python = verifier.function ?? verifier.name;
    return [
        `**verifier** ${signature}`,
        `Python function \`${python}\` in \`${verifier.file}\` (relative to this file), run by the trainer in a worker process; only in a trusted workspace.`,
        `${scoring} ${failure}`,
    ].join('\n\n');
}
