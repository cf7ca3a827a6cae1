"""Compiles a parsed pattern to an RE2-style program, instruction by instruction as re2js does.

The structure decides which submatch leftmost-first matching reports, so the simplification (counted
repetitions unrolled, `x**` squashed) and the compilation (a nullable `x*` becomes `(x+)?`) copy RE2's.
A program is a list of instructions [op, out, arg]; index 0 is FAIL. The reverse program (concatenations
reversed, no captures) finds where a match starts, as RE2's reverse DFA does.
"""

from __future__ import annotations

FAIL, MATCH, RUNE, ALT, CAP, EMPTY, NOP = range(7)
_EMPTY: tuple = ("empty",)  # nodes are tuples of varied shapes: ("cat", [subs]), ("star", sub, greedy), ...
_NONE: tuple = ("none",)


def _concat(subs):
    flat = []
    for sub in subs:
        if sub == _NONE:
            return _NONE
        if sub[0] == "cat":
            flat.extend(sub[1])
        elif sub != _EMPTY:
            flat.append(sub)
    return _EMPTY if not flat else flat[0] if len(flat) == 1 else ("cat", flat)


def _simplify1(op: str, sub, greedy: bool):
    if sub == _EMPTY:
        return sub
    if sub == _NONE:
        return sub if op == "plus" else _EMPTY
    if sub[0] == op and sub[2] == greedy:
        return sub
    return (op, sub, greedy)


def _repeat(sub, lo: int, hi: int, greedy: bool):
    if hi == -1:
        if lo <= 1:
            return _simplify1("star" if lo == 0 else "plus", sub, greedy)
        return _concat([sub] * (lo - 1) + [_simplify1("plus", sub, greedy)])
    if lo == 1 and hi == 1:
        return sub
    prefix = [sub] * lo
    if hi > lo:
        if sub in (_EMPTY, _NONE):
            prefix.append(_EMPTY)
        else:  # RE2's x(x(x)?)?... kept flat so that neither this nor the compiler recurses 1000 deep
            prefix.append(("quests", _simplify1("quest", sub, greedy), sub, hi - lo - 1, greedy))
    return _concat(prefix) if prefix else _NONE


def simplify(node):
    kind = node[0]
    if kind == "set":
        return node if node[1] else _NONE
    if kind == "cap":
        return ("cap", node[1], simplify(node[2]))
    if kind == "cat":
        return _concat([simplify(sub) for sub in node[1]])
    if kind == "alt":
        subs = []
        for sub in (simplify(s) for s in node[1]):
            subs.extend(sub[1] if sub[0] == "alt" else [] if sub == _NONE else [sub])
        return _NONE if not subs else subs[0] if len(subs) == 1 else ("alt", subs)
    if kind in ("star", "plus", "quest"):
        return _simplify1(kind, simplify(node[1]), node[2])
    if kind == "repeat":
        if node[2] == 0 and node[3] == 0:
            return _EMPTY
        return _repeat(simplify(node[1]), node[2], node[3], node[4])
    return node


class _Compiler:
    """Fragments are (start, holes, nullable); a hole is (instruction, field) waiting for its target."""

    def __init__(self, reverse: bool):
        self.prog: list[list] = [[FAIL, 0, None]]
        self.reverse = reverse

    def inst(self, op, arg=None):
        self.prog.append([op, 0, arg])
        return len(self.prog) - 1

    def patch(self, holes, target: int) -> None:
        for index, field in holes:
            self.prog[index][field] = target

    def single(self, op, arg=None, nullable=True):
        i = self.inst(op, arg)
        return (i, [(i, 1)], nullable)

    def cat(self, f1, f2):
        if f1[0] == 0 or f2[0] == 0:
            return (0, [], False)
        self.patch(f1[1], f2[0])
        return (f1[0], f2[1], f1[2] and f2[2])

    def alt(self, f1, f2):
        if f1[0] == 0:
            return f2
        if f2[0] == 0:
            return f1
        i = self.inst(ALT)
        self.prog[i][1], self.prog[i][2] = f1[0], f2[0]
        return (i, f1[1] + f2[1], f1[2] or f2[2])

    def branch(self, f1, greedy: bool):
        """An ALT that prefers f1 when greedy; its free exit is the hole it returns."""
        i = self.inst(ALT)
        if greedy:
            self.prog[i][1] = f1[0]
            return i, [(i, 2)]
        self.prog[i][2] = f1[0]
        return i, [(i, 1)]

    def loop(self, f1, greedy: bool):
        i, holes = self.branch(f1, greedy)
        self.patch(f1[1], i)
        return (i, holes, True)

    def quest(self, f1, greedy: bool):
        if f1[0] == 0:
            return self.single(NOP)
        i, holes = self.branch(f1, greedy)
        return (i, holes + f1[1], True)

    def plus(self, f1, greedy: bool):
        if f1[0] == 0:
            return (0, [], False)
        return (f1[0], self.loop(f1, greedy)[1], f1[2])

    def star(self, f1, greedy: bool):
        if f1[0] == 0:
            return self.single(NOP)
        if f1[2]:
            return self.quest(self.plus(f1, greedy), greedy)
        return self.loop(f1, greedy)

    def compile(self, node):
        kind = node[0]
        if kind == "none":
            return (0, [], False)
        if kind == "empty":
            return self.single(NOP)
        if kind == "set":
            return self.single(RUNE, node[1], nullable=False)
        if kind == "assert":
            return self.single(EMPTY, node[1])
        if kind == "cap":
            if self.reverse:
                return self.compile(node[2])
            bra = self.single(CAP, 2 * node[1])
            return self.cat(self.cat(bra, self.compile(node[2])), self.single(CAP, 2 * node[1] + 1))
        if kind in ("cat", "alt"):
            subs = reversed(node[1]) if kind == "cat" and self.reverse else node[1]
            frag = None
            for sub in subs:
                f = self.compile(sub)
                frag = f if frag is None else self.cat(frag, f) if kind == "cat" else self.alt(frag, f)
            if frag is None:  # simplify() leaves no empty cat or alt
                raise RuntimeError(f"regex compiler: an empty {kind} node")
            return frag
        if kind == "quests":  # ("quests", innermost x?, x, n, greedy): (x(x(x?)?)?) with n more levels
            frag = self.compile(node[1])
            for _ in range(node[3]):
                frag = self.quest(self.cat(self.compile(node[2]), frag), node[4])
            return frag
        return getattr(self, kind)(self.compile(node[1]), node[2])


def compile_program(tree, reverse: bool = False) -> tuple[list[list], int]:
    """The program (instructions) and its start instruction."""
    compiler = _Compiler(reverse)
    frag = compiler.compile(simplify(tree))
    match = compiler.inst(MATCH)
    compiler.patch(frag[1], match)
    return compiler.prog, frag[0]
