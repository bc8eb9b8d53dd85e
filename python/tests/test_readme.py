"""The README's Python examples run as written (the drop-in, then mint/decode/verify)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_examples_run():
    blocks = python_blocks()
    assert len(blocks) >= 3
    namespace = {}
    # The drop-in and the mint/decode/verify walk-through; the error-handling sketch needs an
    # app around it (a logger, a secret) and is only compiled.
    for block in blocks[:2]:
        exec(compile(block, str(README), "exec"), namespace)
    assert namespace["verified"] == namespace["decoded"]
    for block in blocks[2:]:
        compile(block, str(README), "exec")
