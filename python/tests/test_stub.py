"""The package is typed: py.typed ships, the pure-Python modules are typed in their source, and
the stub `_native.pyi` types exactly what the extension exports, with its real signatures. Every
public name has a docstring at run time."""

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import netless_token as nt
import pytest
from netless_token import _base, _native

PACKAGE = Path(nt.__file__).parent
STUB = ast.parse((PACKAGE / "_native.pyi").read_text(encoding="utf-8"))


def public(names):
    return {name for name in names if not name.startswith("_")}


def declared(body):
    """The names a stub module or class body declares, by kind of declaration."""
    out = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
    return out


STUB_NAMES = declared(STUB.body)


def test_py_typed_and_the_extension_stub_ship_and_no_package_stub_hides_the_sources():
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_native.pyi").exists()
    # A package stub would be read instead of __init__.py and _base.py, their types unused.
    assert not (PACKAGE / "__init__.pyi").exists()
    assert not (PACKAGE / "_base.pyi").exists()


def test_the_stub_declares_exactly_what_the_extension_exports():
    assert public(STUB_NAMES) == public(vars(_native))


def test_each_stub_class_declares_exactly_the_public_members_of_its_class():
    for name, node in STUB_NAMES.items():
        if isinstance(node, ast.ClassDef):
            runtime = getattr(_native, name)
            assert public(declared(node.body)) == public(vars(runtime)), name
            for dunder in (n for n in declared(node.body) if n.startswith("__")):
                assert hasattr(runtime, dunder), f"{name}.{dunder}"


def signatures():
    """Every function and method of the stub, with its runtime object."""
    for name, node in STUB_NAMES.items():
        if isinstance(node, ast.FunctionDef):
            yield name, node, getattr(_native, name)
        elif isinstance(node, ast.ClassDef):
            for member in declared(node.body).values():
                if isinstance(member, ast.FunctionDef) and not member.decorator_list:
                    if member.name == "__new__":  # the constructor: pyo3's #[new]
                        yield name, member, getattr(_native, name)
                    elif not member.name.startswith("__"):
                        yield f"{name}.{member.name}", member, getattr(getattr(_native, name), member.name)


def stub_parameters(node):
    """(name, kind, default) of each parameter of a stub function, `self` or `cls` left out."""
    args = node.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + args.defaults
    out = [
        (a.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, d) for a, d in zip(positional, defaults)
    ]
    out += [(a.arg, inspect.Parameter.KEYWORD_ONLY, d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if out and out[0][0] in ("self", "cls"):
        out = out[1:]
    return [
        (name, kind, inspect.Parameter.empty if d is None else ast.literal_eval(d)) for name, kind, d in out
    ]


def test_every_stub_signature_is_the_runtime_signature():
    checked = []
    for name, node, runtime in signatures():
        actual = [(p.name, p.kind, p.default) for p in inspect.signature(runtime).parameters.values()]
        if actual and actual[0][0] == "self":  # a method read from its class
            actual = actual[1:]
        assert stub_parameters(node) == actual, name
        checked.append(name)
    # The drop-in, the core functions and the methods that take arguments are all among them.
    for name in ("sdk_token", "room_token", "task_token", "mint", "decode", "verify",
                 "KeyPair", "KeyPair.mint", "KeyPair.verify", "Keyring.insert", "Keyring.verify"):
        assert name in checked


def test_the_package_exports_the_extension_and_the_base_module_once():
    # Every public name of _native and of _base, the drop-in's role constants, nothing else.
    defined_in_base = {
        name for name, obj in vars(_base).items()
        if getattr(obj, "__module__", None) in ("netless_token", "netless_token._base")
    }
    expected = public(vars(_native)) | public(defined_in_base) | {"ADMIN", "WRITER", "READER"}
    assert set(nt.__all__) == expected
    assert len(nt.__all__) == len(set(nt.__all__))
    assert not hasattr(_base, "__all__")


def test_the_base_module_is_typed_in_its_source():
    tree = ast.parse(Path(_base.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            args = node.args
            params = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
            untyped = [a.arg for a in params if a.annotation is None and a.arg not in ("self", "cls")]
            assert not untyped and node.returns is not None, f"{node.name}: {untyped or 'return'}"


def test_every_public_name_has_a_docstring():
    assert nt.__doc__ and "room_token" in nt.__doc__
    for name in nt.__all__:
        obj = getattr(nt, name)
        if isinstance(obj, (str, int)):
            continue  # constants: documented in the stub, __init__.py and the README
        assert inspect.getdoc(obj), name
    for cls in (nt.KeyPair, nt.Keyring, nt.DecodedToken):
        for attr, member in vars(cls).items():
            if not attr.startswith("_"):
                assert inspect.getdoc(member), f"{cls.__name__}.{attr}"


def test_verify_shows_its_documented_defaults():
    params = inspect.signature(nt.verify).parameters
    assert params["leeway"].default == 0 and params["ak"].default is None
    assert inspect.signature(nt.KeyPair("a", "b").verify).parameters["leeway"].default == 0
    assert inspect.signature(nt.Keyring().verify).parameters["leeway"].default == 0


def test_importing_the_package_does_not_import_typing():
    # The annotations of _base.py are never evaluated: typing would be most of the import time.
    code = "import sys, {}; print('typing' in sys.modules)"
    run = lambda module: subprocess.run(
        [sys.executable, "-c", code.format(module)], capture_output=True, text=True, check=True
    ).stdout.strip()
    if run("enum") == "True":
        pytest.skip("this Python imports typing at start-up or with enum")
    assert run("netless_token") == "False"
