"""What the critic reads: the transcript prefix h_t before each decision, as one string.

The format is part of the critic.onnx contract (the sidecar names it `transcript_format: "mas-prefix-v1"`, and
protocol/run-dir.ts documents it so the editor rebuilds the same strings from trajectory records):
  for every earlier turn:  "<agent>> <prompt><output>\n"
  then the next decision:  "<agent>> <prompt>"
Earlier nulled turns are included (they are part of what later agents saw); only decisions get a value.
"""

from __future__ import annotations

TRANSCRIPT_FORMAT = "mas-prefix-v1"


def turn_text(agent: str, prompt: str, output: str | None) -> str:
    return f"{agent}> {prompt}" if output is None else f"{agent}> {prompt}{output}\n"


def decision_prefixes(turns) -> list[str]:
    """turns: objects with agent, prompt, output, nulled (trainer Turns or records). One string per decision."""
    prefixes, history = [], ""
    for turn in turns:
        if not turn.nulled:
            prefixes.append(history + turn_text(turn.agent, turn.prompt, None))
        history += turn_text(turn.agent, turn.prompt, turn.output)
    return prefixes
