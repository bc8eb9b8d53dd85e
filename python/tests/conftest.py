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


def pytest_generate_tests(metafunc):
    # One test case per vector, named by its line, so a failure names the vector.
    for name, fixture in [("official-js.jsonl", "js_vector"), ("official-ports.jsonl", "port_vector")]:
        if fixture in metafunc.fixturenames:
            rows = _jsonl(name)
            metafunc.parametrize(fixture, rows, ids=[f"line{i + 1}" for i in range(len(rows))])
