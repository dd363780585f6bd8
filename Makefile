# A thin front over CMake.  `make demo` and `make test` install what is
# missing (Debian packages), build, then run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
INSTALL_BUILD ?= build-install
FUZZ_SECONDS ?= 60
PREFIX     ?= /usr/local
LUA        ?= 5.4
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo test test-asan test-fuzz fuzz install doc clean bench

all: build

deps:
	@./scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDF_BUILD_LUA=ON -DDF_BUILD_TESTS=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# Run the Lua module and the CLI from the build tree, as README explains.
LUA_ENV = LUA_PATH='$(CURDIR)/bindings/lua/?.lua;$(CURDIR)/bindings/lua/?/init.lua;;' \
          LUA_CPATH='$(CURDIR)/$(BUILD)/bindings/lua/?.so;;'

demo: build
	@echo '== The C API: facts about the music, matches in [brackets]'
	@./$(BUILD)/scripts/examples/grep-embedded 'Kavinsky|Nightcall|Cliff Martinez'
	@echo; echo '== The CLI: the corpus in numbers'
	@$(LUA_ENV) lua5.4 scripts/drivefacts stats
	@echo; echo '== A Lua script: a report of your own, also written as HTML'
	@$(LUA_ENV) lua5.4 scripts/examples/report.lua html $(BUILD)/demo-report.html >/dev/null
	@echo "wrote $(BUILD)/demo-report.html"
	@echo; echo '== The CLI: the built-in report'
	@$(LUA_ENV) lua5.4 scripts/drivefacts report --format markdown

# The fuzz smoke runs and the sanitizer suite come first so that the run ends
# in the summary of the plain suite.
test: test-fuzz test-asan build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: deps
	CC=gcc cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDF_SANITIZE=ON -DDF_BUILD_LUA=ON -DDF_BUILD_TESTS=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# Each fuzz target for a few seconds from its seeds: a smoke test.
test-fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DDF_FUZZ=ON -DDF_FUZZ_SECONDS=10 >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	ctest --test-dir $(FUZZ_BUILD) --output-on-failure

# Real fuzzing: each target for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=600).
fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DDF_FUZZ=ON -DDF_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	ctest --test-dir $(FUZZ_BUILD) --output-on-failure

# Only what installing needs: the build packages (no test tools), a build
# without the tests, for Lua $(LUA) (5.1, 5.2, 5.3, 5.4 or luajit).
install:
	@./scripts/install-deps --build
	cmake -S . -B $(INSTALL_BUILD) -DCMAKE_BUILD_TYPE=Release -DDF_BUILD_LUA=ON \
		-DDF_BUILD_TESTS=OFF -DDF_LUA=$(LUA) >/dev/null
	cmake --build $(INSTALL_BUILD) -j $(JOBS)
	cmake --install $(INSTALL_BUILD) --prefix $(PREFIX)

# The Lua manual (LDoc; bindings/lua/config.ld lists the public modules).
doc: deps
	cd bindings/lua && ldoc -c config.ld -d $(CURDIR)/$(BUILD)/doc . >/dev/null
	@echo "wrote $(BUILD)/doc/index.html"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(INSTALL_BUILD)

# Benchmarks against ripgrep, pcre2grep and Lua loops on a generated corpus,
# then the time and peak memory of the commands with big outputs (dupes,
# report, search -l) on it (tests/bench/RESULTS.md), the alternation
# count, printed searches and a default db's questions against rg (README
# "Performance").  Slow, so not part of
# `make test`; the corpus is cached in $(BUILD)/bench.  A quick run:
# make bench BENCH_MB=10.
BENCH_MB ?= 100
bench: build
	BUILD=$(BUILD) BENCH_MB=$(BENCH_MB) ./tests/bench/bench.sh
	BUILD=$(BUILD) BENCH_MB=$(BENCH_MB) ./tests/bench/big-outputs.sh
	BUILD=$(BUILD) BENCH_MB=$(BENCH_MB) ./tests/bench/alternation.sh
	BUILD=$(BUILD) BENCH_MB=$(BENCH_MB) ./tests/bench/print.sh
	BUILD=$(BUILD) BENCH_MB=$(BENCH_MB) ./tests/bench/auto-prefilter.sh
