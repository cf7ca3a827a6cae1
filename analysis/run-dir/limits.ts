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

/**
 * Cells of one rollout's heatmaps together (the run's agents × its turns × its credit methods): a rollout view draws
 * one grid per method, so the caps above alone would still allow 256 × 4 096 × 64 cells (512 MiB) for one 1 MB line.
 * 4 Mi cells = 32 MiB; a real rollout (10 agents, 50 turns, 7 methods) needs 3 500.
 */
export const MAX_ROLLOUT_GRID_CELLS = 1 << 22;

/** Chat messages of one turn (TurnRecord.messages): a chat prompt is a system and a user message; more is refused. */
export const MAX_CHAT_MESSAGES_PER_TURN = 16;
