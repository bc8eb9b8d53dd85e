"""The package is typed: py.typed ships, and the stub declares exactly the public names, each
with a docstring at run time."""

import ast
import inspect
from pathlib import Path

import netless_token as nt

PACKAGE = Path(nt.__file__).parent


def stub_names():
    tree = ast.parse((PACKAGE / "__init__.pyi").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {name for name in names if not name.startswith("_")}


def test_the_stub_and_py_typed_ship_with_the_package():
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "__init__.pyi").exists()


def test_the_stub_declares_exactly_the_public_names():
    assert stub_names() == set(nt.__all__)


def test_every_public_name_has_a_docstring():
    assert nt.__doc__ and "room_token" in nt.__doc__
    for name in nt.__all__:
        obj = getattr(nt, name)
        if isinstance(obj, (str, int)):
            continue  # constants: documented in the stub and the README
        assert inspect.getdoc(obj), name
    for cls in (nt.KeyPair, nt.DecodedToken):
        for attr, member in vars(cls).items():
            if not attr.startswith("_"):
                assert inspect.getdoc(member), f"{cls.__name__}.{attr}"


def test_the_drop_in_signatures_match_the_stub():
    tree = ast.parse((PACKAGE / "__init__.pyi").read_text(encoding="utf-8"))
    stub = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for name in ("sdk_token", "room_token", "task_token", "mint", "decode", "verify"):
        params = list(inspect.signature(getattr(nt, name)).parameters)
        args = stub[name].args
        assert params == [a.arg for a in args.args + args.kwonlyargs], name


def test_verify_shows_its_documented_defaults():
    params = inspect.signature(nt.verify).parameters
    assert params["leeway"].default == 0 and params["ak"].default is None
    assert inspect.signature(nt.KeyPair("a", "b").verify).parameters["leeway"].default == 0
