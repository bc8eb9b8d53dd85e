"""Shared fixtures: the public vectors of tests/data, read relative to this file."""

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"


def _jsonl(name):
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def official_js():
    """official-js.jsonl: inputs and the token the JavaScript reference printed."""
    return _jsonl("official-js.jsonl")


@pytest.fixture(scope="session")
def official_ports():
    """official-ports.jsonl: tokens of the official ports, and whether the service accepts them."""
    return _jsonl("official-ports.jsonl")


def doc_tokens():
    """documentation-tokens.jsonl: the service documentation's SDK, Room and Task tokens, with
    the query each decodes to."""
    return _jsonl("documentation-tokens.jsonl")


def malformed_tokens():
    """malformed-tokens.jsonl: strings that are not tokens, shared with the Rust and JavaScript
    tests: the field each surface names in refusing it, and the message (or a part of it)."""
    rows = _jsonl("malformed-tokens.jsonl")
    for row in rows:
        if "repeat" in row:
            r = row["repeat"]
            row["token"] = r["prefix"] + r["char"] * r["count"]
    return rows


def pytest_generate_tests(metafunc):
    # One test case per line, named by its line (or kind), so a failure names the vector.
    for rows, fixture in [
        (lambda: _jsonl("official-js.jsonl"), "js_vector"),
        (lambda: _jsonl("official-ports.jsonl"), "port_vector"),
        (malformed_tokens, "malformed"),
        (doc_tokens, "doc_token"),
    ]:
        if fixture in metafunc.fixturenames:
            rows = rows()
            ids = [row.get("kind") if fixture == "doc_token" else f"line{i + 1}" for i, row in enumerate(rows)]
            metafunc.parametrize(fixture, rows, ids=ids)
