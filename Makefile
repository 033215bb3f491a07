# gitmem — the project's commands. Each installs what it needs first (scripts/bootstrap.sh).
#   make demo     build and run the quickstart (the main job)
#   make test     build everything and run every test
#   make bench    run the benchmarks (JSON in build/release/bench/)
#   make sanitize build and run the tests under AddressSanitizer + UBSan
JOBS ?= $(shell nproc)

.PHONY: all bootstrap demo test bench sanitize clean

all: test

bootstrap:
	@scripts/bootstrap.sh

build/%/build.ninja: CMakeLists.txt CMakePresets.json | bootstrap
	cmake --preset $* >/dev/null

demo: bootstrap build/release/build.ninja
	cmake --build build/release -j$(JOBS) --target quickstart
	./build/release/examples/quickstart build/release/quickstart-store

test: bootstrap build/dev/build.ninja
	cmake --build build/dev -j$(JOBS)
	ctest --preset dev -j$(JOBS)

sanitize: bootstrap build/sanitize/build.ninja
	cmake --build build/sanitize -j$(JOBS)
	ctest --preset sanitize -j$(JOBS)

bench: bootstrap build/release/build.ninja
	cmake --build build/release -j$(JOBS)
	mkdir -p build/release/bench
	./build/release/benchmarks/bench_core --benchmark_format=json --benchmark_out=build/release/bench/bench_core.json --benchmark_out_format=json

clean:
	rm -rf build
