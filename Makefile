# vtopo: top-level entry points.  The real build is meson + ninja.
#   make         build (build/)
#   make check   install missing packages, build plain + ASan/UBSan + fuzz, run every test
#   make demo    install, build and run the service-chaining demo
#   make fuzz    run every libFuzzer target (FUZZ_SECONDS each, default 60)
#   make bench   run the benchmarks in bench/
.PHONY: all deps check demo fuzz bench clean

all: build/build.ninja
	ninja -C build

build/build.ninja:
	scripts/deps.sh build
	meson setup build -Dwerror=true

deps:
	scripts/deps.sh all

check:
	scripts/check.sh

demo:
	scripts/demo.sh

fuzz:
	scripts/deps.sh build
	[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false
	ninja -C build-fuzz
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} meson test -C build-fuzz --suite fuzz --num-processes 1 \
		--timeout-multiplier 0 --print-errorlogs

bench: all
	bench/run

clean:
	rm -rf build build-asan build-fuzz build*.setup.log
