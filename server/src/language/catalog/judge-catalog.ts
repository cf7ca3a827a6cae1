/** A judge criterion's defaults when the .mas file leaves them out (the compiler, hover and docs/judges.md agree). */
export const JUDGE_DEFAULTS = { low: 1, high: 10, maxTokens: 16, temperature: 0 } as const;
