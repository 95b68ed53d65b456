"""Times a WASI command under wasmtime (its Python package), in-process.

Usage: python3 wasmtimeWasi.py MODULE.wasm HOST_DIR GUEST_DIR RUNS OUTPUT_FILE ARG...
Compiles the module once, then runs `_start` RUNS + 1 times (the first is a warm-up and is not
timed), each time in a fresh store and instance with HOST_DIR preopened as GUEST_DIR, ARG... as argv
and stdout captured in a file. OUTPUT_FILE (a host path) is deleted before each run. A time covers
instantiation and `_start`, as wall time and as the process's CPU time. Prints one JSON object:
  {"times_ms": [...], "cpu_ms": [...], "exit_codes": [...], "stdout": "<last run's stdout>", "version": "..."}.
Exit status 2 with {"error": ...} when wasmtime cannot be imported.
"""
import json
import os
import sys
import tempfile
import time

try:
    import wasmtime
except ImportError as e:  # reported as "n/a" by wasiBench.ts
    print(json.dumps({"error": "python package wasmtime not importable: %s" % e}))
    sys.exit(2)


def run_once(engine, module, host_dir, guest_dir, argv, stdout_path):
    config = wasmtime.WasiConfig()
    config.argv = argv
    config.env = []
    config.preopen_dir(host_dir, guest_dir)
    config.stdout_file = stdout_path
    config.inherit_stderr()
    store = wasmtime.Store(engine)
    store.set_wasi(config)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    t0 = time.perf_counter()
    c0 = time.process_time()
    instance = linker.instantiate(store, module)
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    cpu = (time.process_time() - c0) * 1000.0
    return (time.perf_counter() - t0) * 1000.0, cpu, code


def main():
    path, host_dir, guest_dir, runs, output_file = sys.argv[1:6]
    argv = sys.argv[6:]
    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, path)
    fd, stdout_path = tempfile.mkstemp(suffix=".stdout")
    os.close(fd)
    times, cpus, codes = [], [], []
    try:
        for i in range(int(runs) + 1):
            if os.path.exists(output_file):
                os.remove(output_file)
            ms, cpu, code = run_once(engine, module, host_dir, guest_dir, argv, stdout_path)
            if i > 0:
                times.append(ms)
                cpus.append(cpu)
                codes.append(code)
        with open(stdout_path, "r", encoding="utf-8", errors="replace") as f:
            stdout = f.read()
    finally:
        os.remove(stdout_path)
    try:
        from importlib.metadata import version
        ver = version("wasmtime")
    except Exception:
        ver = "unknown"
    print(json.dumps({"times_ms": times, "cpu_ms": cpus, "exit_codes": codes, "stdout": stdout, "version": ver}))


if __name__ == "__main__":
    main()
