"""The README's Python examples run as written (the drop-in, mint/decode/verify, the audit, the
keyring)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_examples_run():
    blocks = python_blocks()
    assert len(blocks) >= 5
    namespace = {}
    # The drop-in, the mint/decode/verify walk-through, the audit and the keyring's rotation;
    # the error-handling sketch needs an app around it (a logger, a secret) and is only compiled.
    for block in blocks[:4]:
        exec(compile(block, str(README), "exec"), namespace)
    assert namespace["verified"] == namespace["decoded"]
    assert namespace["finding"].code == "sdk-never-expires"
    keyring, nt = namespace["keyring"], namespace["nt"]
    assert keyring.verify(namespace["new_token"]).ak == "my-ak"
    with pytest.raises(nt.SignatureError):
        keyring.verify(namespace["old_token"])
    for block in blocks[4:]:
        compile(block, str(README), "exec")
