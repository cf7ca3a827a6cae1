/**
 * Bounds on what one run directory can make the readers hold (documented in protocol/schemas/run-dir/README.md).
 * Every heatmap is a dense agents × turns grid, so these two bound its size: 256 × 4 096 cells = 8 MiB per grid,
 * whatever a hostile file says (one line naming 11 000 agents asked for 121 million cells and ran V8 out of memory).
 */

/** Distinct agents per run: the workflow's declared agents plus any only seen in the records. */
export const MAX_AGENTS_PER_RUN = 256;

/** Turns of one rollout that the index keeps; a longer rollout is reported and skipped (a real team ends far sooner). */
export const MAX_TURNS_PER_ROLLOUT = 4096;

/** Credit methods of one rollout (the catalogue has seven; each method is one more grid per view). */
export const MAX_CREDIT_METHODS = 64;
