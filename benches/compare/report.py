"""Runs the comparison for run.sh and prints the table. Exits non-zero when the three
implementations do not mint the same token for the same fixed inputs."""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
UUID = "a7e0a4d0c1a011eabc5b5d4c8e0aca69"
ENV = dict(os.environ, NETLESS_AK="BUxxxxxxrc", NETLESS_SK="CxxxxxxxauY3")

RUST = ["cargo", "bench", "--quiet", "--bench", "compare_mint", "--"]
NODE = ["node", "benches/compare/mint.js"]
PYTHON = [sys.executable, "benches/compare/mint.py"]
CLI = ["target/release/netless-token", "mint", "room", "--role", "writer", "--lifespan", "1h", "--uuid", UUID]


def out(cmd):
    return subprocess.run(cmd, env=ENV, check=True, capture_output=True, text=True).stdout.strip()


def in_process(cmd, n, runs=3):
    return statistics.median(json.loads(out(cmd + [str(n)]))["ns_per_token"] for _ in range(runs))


def whole_process(cmd, runs=30):
    times = []
    for _ in range(runs + 3):
        start = time.perf_counter()
        subprocess.run(cmd, env=ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times[3:]) * 1e3


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    fixed = {name: out(cmd + ["fixed"]) for name, cmd in [("rust", RUST), ("node", NODE), ("python", PYTHON)]}
    if len(set(fixed.values())) != 1:
        print("the implementations disagree on the fixed inputs:", json.dumps(fixed, indent=2))
        sys.exit(1)

    rust = in_process(RUST, N * 5)
    node = in_process(NODE, N)
    python = in_process(PYTHON, max(N // 4, 1000))
    cli_ms = whole_process(CLI)
    node_ms = whole_process(NODE + ["once"])
    python_ms = whole_process(PYTHON + ["once"])

    versions = ", ".join([
        out(["rustc", "--version"]).split(" (")[0],
        "node " + out(["node", "--version"]),
        out([sys.executable, "--version"]),
    ])
    print(f"Machine: {cpu()}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; {versions}")
    print("Room token, same inputs, fresh nonce and clock per token; medians.\n")
    print("| minting a Room token | this crate | Node (official algorithm) | Python (official algorithm) |")
    print("|---|---|---|---|")
    print(f"| in-process, ns/token | {rust:,.0f} | {node:,.0f} | {python:,.0f} |")
    print(f"| in-process, times slower than this crate | 1 | {node / rust:.1f}x | {python / rust:.1f}x |")
    print(f"| whole process (CLI), ms | {cli_ms:.2f} | {node_ms:.2f} | {python_ms:.2f} |")
    print(f"| whole process, times slower than this crate | 1 | {node_ms / cli_ms:.1f}x | {python_ms / cli_ms:.1f}x |")


if __name__ == "__main__":
    main()
