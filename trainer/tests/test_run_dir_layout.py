"""The run-directory layout has one owner (mas_trainer/rundir/layout.py), the twin of RUN_DIR_FILES in
protocol/run-dir.ts: same keys, same names, same version; and no other trainer module spells a name of it."""

import ast
import os
import re

from conftest import REPO_ROOT

from mas_trainer.rundir.layout import CHECKPOINT_FILES, CHECKPOINT_FORMAT, RUN_DIR_FILES, RUN_DIR_VERSION

RUN_DIR_TS = os.path.join(REPO_ROOT, "protocol", "run-dir.ts")
PACKAGE = os.path.join(REPO_ROOT, "trainer", "mas_trainer")
LAYOUT = os.path.join(PACKAGE, "rundir", "layout.py")


def ts_run_dir_files(text: str, const: str = "RUN_DIR_FILES") -> dict:
    """`export const RUN_DIR_FILES = { key: 'name', ... } as const;` read textually: one `key: 'name',` per line."""
    block = re.search(rf"export const {const} = \{{(.*?)\}} as const;", text, re.S)
    assert block, f"protocol/run-dir.ts no longer declares {const} as an object literal"
    entries = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    pairs = [re.fullmatch(r"(\w+): '([^']+)',?", entry) for entry in entries]
    assert all(pairs), f"unexpected RUN_DIR_FILES entries: {[e for e, p in zip(entries, pairs) if not p]}"
    return {p.group(1): p.group(2) for p in pairs}


def test_the_python_layout_is_the_twin_of_run_dir_files():
    with open(RUN_DIR_TS, encoding="utf-8") as f:
        text = f.read()
    assert ts_run_dir_files(text) == RUN_DIR_FILES
    assert list(ts_run_dir_files(text)) == list(RUN_DIR_FILES)  # same order: a diff reads one to one
    assert re.search(rf"export const RUN_DIR_VERSION = {RUN_DIR_VERSION} as const;", text)


def test_the_checkpoint_layout_is_the_twin_of_checkpoint_files():
    with open(RUN_DIR_TS, encoding="utf-8") as f:
        text = f.read()
    assert list(ts_run_dir_files(text, "CHECKPOINT_FILES").items()) == list(CHECKPOINT_FILES.items())
    assert re.search(rf"export const CHECKPOINT_FORMAT = {CHECKPOINT_FORMAT} as const;", text)


def test_the_reader_notices_a_changed_name():
    """The textual reader is not vacuous: a renamed file or an extra key changes what it returns."""
    text = "export const RUN_DIR_FILES = {\n    run: 'run.json',\n    log: 'other.log',\n} as const;\n"
    assert ts_run_dir_files(text) == {"run": "run.json", "log": "other.log"} != RUN_DIR_FILES


def _package_names(tree: ast.AST) -> set[int]:
    """ids of the string constants of module-level `*_PACKAGES = (...)` tuples: pip distribution names (the
    `tensorboard` package), which may coincide with a run-directory name without being a path."""
    ids: set[int] = set()
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            if all(isinstance(t, ast.Name) and t.id.endswith("_PACKAGES") for t in node.targets):
                ids.update(id(e) for e in node.value.elts)
    return ids


def stray_names(path: str, source: str) -> list[str]:
    """String literals in a module that are exactly a run-directory name (docstrings and messages that mention a
    name inside a sentence are prose, not layout; pip package names in `*_PACKAGES` tuples are not paths)."""
    names = set(RUN_DIR_FILES.values())
    tree = ast.parse(source)
    packages = _package_names(tree)
    return [
        f"{os.path.relpath(path, REPO_ROOT)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in names and id(node) not in packages
    ]


def test_no_module_but_the_layout_spells_a_run_directory_name():
    found = []
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".py") and path != LAYOUT:
                with open(path, encoding="utf-8") as f:
                    found += stray_names(path, f.read())
    assert found == [], "take these names from mas_trainer/rundir/layout.py:\n" + "\n".join(found)


def test_the_stray_name_check_fires():
    assert stray_names("x.py", 'path = os.path.join(run_dir, "metrics.jsonl")') != []
    assert stray_names("x.py", '"""Writes metrics.jsonl."""\nwarn(f"{n} in metrics.jsonl")') == []
    # a pip package list may name `tensorboard`; the same word as a path still fires
    assert stray_names("x.py", 'OPTIONAL_PACKAGES = ("tensorboard",)') == []
    assert stray_names("x.py", 'EXTRAS = ("tensorboard",)') != []
    assert stray_names("x.py", 'OPTIONAL_PACKAGES = ("x",)\nd = os.path.join(r, "tensorboard")') != []
