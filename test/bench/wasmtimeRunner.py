"""Times an exported function under wasmtime (its Python package), in-process.

Usage: python3 wasmtimeRunner.py MODULE.wasm EXPORT RUNS
Compiles and instantiates once, calls EXPORT once to warm up, then RUNS more times; prints one JSON
object: {"result": "i64:<signed decimal>", "times_ms": [...], "version": "..."}.
Exit status 2 with {"error": ...} when wasmtime cannot be imported.
"""
import json
import sys
import time

try:
    import wasmtime
except ImportError as e:  # reported as "n/a" by bench.ts
    print(json.dumps({"error": "python package wasmtime not importable: %s" % e}))
    sys.exit(2)


def main():
    path, export, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = wasmtime.Store()
    module = wasmtime.Module.from_file(store.engine, path)
    instance = wasmtime.Instance(store, module, [])
    func = instance.exports(store)[export]
    results = func.type(store).results
    kind = str(results[0]) if len(results) == 1 else "none"
    value = func(store)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        value = func(store)
        times.append((time.perf_counter() - t0) * 1000.0)
    try:
        from importlib.metadata import version
        ver = version("wasmtime")
    except Exception:
        ver = "unknown"
    print(json.dumps({"result": "%s:%s" % (kind, value), "times_ms": times, "version": ver}))


if __name__ == "__main__":
    main()
