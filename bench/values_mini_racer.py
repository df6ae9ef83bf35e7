#!/usr/bin/env python3
"""Peer of bench/values.rb: the same shapes through PyPI's mini-racer.

Builds the same JS globals in a MiniRacer context and times, per operation,
a return (ctx.call("get_X"); for binary bytes(ctx.eval("get_binary()")), as
mini-racer hands back a buffer only from eval) and a pass (ctx.call("sink", x)).
mini-racer's call carries arguments and results as JSON, and its eval returns
composite values as lazy proxies, so call is how Python gets real data both ways.
Each operation is checked once; one mini-racer cannot do (binary, Map and Set
do not survive its JSON) is null. Prints {shape: {return_ms, pass_ms}} as JSON on
stdout and the reasons for nulls on stderr.

    python3 bench/values_mini_racer.py     (needs `pip install mini-racer`; BENCH_SCALE as in values.rb)
"""
import gc
import json
import os
import sys
import time
from importlib.metadata import version

try:
    from py_mini_racer import MiniRacer
except ImportError:
    sys.exit("values_mini_racer.py needs PyPI's mini-racer: pip install mini-racer (bin/bench values makes a virtualenv)")

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
ROUND_NS = 80_000_000 * SCALE
ROUNDS = 5

# The data and its checks, shared with bench/values.rb.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "values_data.js"), encoding="utf-8") as f:
    JS = f.read()


def nest(i, depth):
    return {"v": i} if depth == 1 else {"v": i, "next": nest(i, depth - 1)}


def python_data():
    n = 10_000
    return {
        "ints": list(range(n)),
        "floats": [i + 0.5 for i in range(n)],
        "ascii": [f"s{i}" for i in range(n)],
        "nonascii": [("é" if i % 2 == 0 else "日本") + str(i) for i in range(n)],
        "objects": [{f"k{k}": i + k for k in range(10)} for i in range(1000)],
        "nested": [nest(i, 5) for i in range(100)],
        "binary": bytes(i & 255 for i in range(1_000_000)),
        "map": {f"k{i}": i for i in range(n)},
        "set": set(range(n)),
    }


def per_op_ms(op):
    """Best of ROUNDS rounds of about ROUND_NS each, after a warm-up, in ms per operation."""
    gc.collect()
    t = time.perf_counter_ns()
    op()
    n = int(min(max(ROUND_NS / max(time.perf_counter_ns() - t, 1), 1), 100_000))
    for _ in range(max(n // 5, 1)):
        op()
    best = None
    for _ in range(ROUNDS):
        t = time.perf_counter_ns()
        for _ in range(n):
            op()
        per = (time.perf_counter_ns() - t) / n
        best = per if best is None else min(best, per)
    return best / 1e6


def measure(label, check, op):
    """Checks the operation once (a non-empty string is what is wrong), then times it; None if it fails."""
    try:
        problem = check()
        if problem:
            raise ValueError(f"wrong value: {problem}")
        return per_op_ms(op)
    except Exception as e:  # noqa: BLE001 - any failure means "cannot", reported and skipped
        print(f"mini-racer: {label}: {type(e).__name__}: {str(e)[:200]}", file=sys.stderr)
        return None


def returner(ctx, shape):
    if shape == "binary":
        return lambda: bytes(ctx.eval("get_binary()"))
    return lambda: ctx.call(f"get_{shape}")


def main():
    ctx = MiniRacer()
    ctx.eval(JS)
    print(f"mini-racer {version('mini-racer')} (V8 {ctx.v8_version})", file=sys.stderr)
    results = {}
    for shape, want in python_data().items():
        ret = returner(ctx, shape)
        results[shape] = {
            "return_ms": measure(
                f"{shape} return", lambda: "" if ret() == want else f"got {str(ret())[:60]}", ret
            ),
            "pass_ms": measure(
                f"{shape} pass", lambda: ctx.call(f"check_{shape}", want), lambda: ctx.call("sink", want)
            ),
        }
    json.dump(results, sys.stdout)
    print()


if __name__ == "__main__":
    main()
