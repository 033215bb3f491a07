#!/usr/bin/env python3
"""Clang's thread-safety analysis over the engine (src/): every translation unit of
gitmem_core is compiled by clang++ with -fsyntax-only -Wthread-safety -Werror=thread-safety,
using the include paths and defines CMake recorded for it (compile_commands.json).

GCC ignores the GUARDED_BY / REQUIRES annotations (src/util/thread_annotations.h); this is
the check that reads them. Usage: thread_safety.py BUILD_DIR [CLANG++]. Exit 0 when clean.
"""
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys


def clang_args(entry, clang):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out, skip = [clang], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a in ("-c", "-fopenmp") or a.startswith("-W"):
            continue
        out.append(a)
    return out + ["-fsyntax-only", "-w", "-Wthread-safety", "-Werror=thread-safety"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build, clang = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "clang++"
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = [e for e in json.load(f) if os.sep + "src" + os.sep in e["file"]]
    if not entries:
        sys.exit("thread_safety: no src/ files in compile_commands.json")

    def check(e):
        r = subprocess.run(clang_args(e, clang), cwd=e["directory"], capture_output=True, text=True)
        return e["file"], r.returncode, r.stderr

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for path, rc, err in pool.map(check, entries):
            if rc != 0:
                failed += 1
                print(f"thread_safety: {path}\n{err}", file=sys.stderr)
    print(f"thread_safety: {len(entries) - failed}/{len(entries)} translation units clean")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
