# The front door: `make`, `make check`, `make demo`, `make bench`, `make format`.
# It installs missing Debian packages (scripts/install-deps.sh), then drives CMake.
# SANITIZE=1 builds into build-asan/ with ASan+UBSan; WERROR=1 makes warnings errors (CI).
# T=NAME runs only the tests whose name matches NAME (a ctest regex).

BUILD := build
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo
ifeq ($(SANITIZE),1)
BUILD := build-asan
CMAKE_FLAGS += -DRK_SANITIZE=ON
endif
CMAKE_FLAGS += -DRK_WERROR=$(if $(filter 1,$(WERROR)),ON,OFF)
JOBS ?= $(shell nproc)

.PHONY: all deps configure check demo bench format format-check clean

all: configure
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

deps:
	@scripts/install-deps.sh --if-missing

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

check: all
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(if $(T),-R '$(T)')

demo: all
	@scripts/demo.sh $(BUILD)/reckon

bench: all
	@bench/run.sh $(BUILD)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build build-asan demo
