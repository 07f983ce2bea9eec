# The front door: `make`, `make check`, `make demo`, `make bench`, `make fuzz`, `make format`,
# `make install`. It installs missing Debian packages (scripts/install-deps.sh), then drives CMake.
# SANITIZE=1 builds into build-asan/ with ASan+UBSan; WERROR=1 makes warnings errors (CI).
# MPI=1 builds into build-mpi/ with Open MPI (`reckon link --mpi`; its tests run under mpirun).
# T=NAME runs only the tests whose name matches NAME (a ctest regex).
# `make install` puts bin/reckon, its man page and libreckon under PREFIX (default /usr/local),
# staged under DESTDIR when given; `make uninstall` removes them again.

BUILD := build
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo
ifeq ($(SANITIZE),1)
BUILD := build-asan
CMAKE_FLAGS += -DRK_SANITIZE=ON
endif
DEPS_FLAGS :=
ifeq ($(MPI),1)
BUILD := $(BUILD)-mpi
CMAKE_FLAGS += -DRECKON_MPI=ON
DEPS_FLAGS := --mpi
endif
CMAKE_FLAGS += -DRK_WERROR=$(if $(filter 1,$(WERROR)),ON,OFF)
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps configure check demo bench fuzz install uninstall format format-check clean

all: configure
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

deps:
	@scripts/install-deps.sh $(DEPS_FLAGS) --if-missing

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

check: all
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(if $(T),-R '$(T)')

demo: all
	@scripts/demo.sh $(BUILD)/reckon

bench: all
	@bench/run.sh $(BUILD)

# Each fuzz harness for FUZZ_SECONDS (default 60) under libFuzzer in build-fuzz/ (clang);
# FUZZ=NAME runs one. Prints the executions of each (scripts/fuzz.sh).
fuzz: deps
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' scripts/fuzz.sh $(FUZZ)

install: all
	@DESTDIR='$(DESTDIR)' cmake --install $(BUILD) --prefix '$(PREFIX)'

# The paths CMakeLists.txt installs (scripts/check-install.sh checks that none is left behind).
uninstall:
	rm -f '$(DESTDIR)$(PREFIX)/bin/reckon' '$(DESTDIR)$(PREFIX)/share/man/man1/reckon.1' \
	  '$(DESTDIR)$(PREFIX)/lib/libreckon.a' '$(DESTDIR)$(PREFIX)/lib/pkgconfig/reckon.pc'
	rm -rf '$(DESTDIR)$(PREFIX)/include/reckon'

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build build-asan build-fuzz build-mpi build-asan-mpi demo
