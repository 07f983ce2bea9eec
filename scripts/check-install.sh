#!/usr/bin/env bash
# Checks `make install` and `make uninstall` in a staging folder (ctest: install): the tool runs
# from where it is installed, its man page is there and well formed (when groff is installed),
# a small program compiles and links against the installed libreckon through pkg-config, and
# uninstall leaves no file behind.
#   scripts/check-install.sh BUILD_DIR [SANITIZE]   (SANITIZE=ON when the build uses ASan+UBSan)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SANITIZE=${2:-OFF}
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/reckon-install-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL install: $*"; exit 1; }
STAGE="$T/stage"
P="$STAGE/usr/local"

# What `make install DESTDIR=$STAGE` does, without rebuilding (the build is ctest's).
DESTDIR="$STAGE" cmake --install "$BUILD" --prefix /usr/local >"$T/install.log" ||
  { cat "$T/install.log"; fail "cmake --install failed"; }
for f in bin/reckon share/man/man1/reckon.1 lib/libreckon.a lib/pkgconfig/reckon.pc \
  include/reckon/reckon.h; do
  [ -s "$P/$f" ] || fail "$f was not installed"
done
"$P/bin/reckon" --version | grep -q '^reckon ' || fail "the installed reckon does not run"

# The man page: every command has its section; groff finds nothing to warn about.
for cmd in $("$P/bin/reckon" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'); do
  grep -q "^\.SS reckon $cmd\$" "$P/share/man/man1/reckon.1" || fail "the man page lacks $cmd"
done
if command -v groff >/dev/null 2>&1; then
  w=$(groff -k -man -Tutf8 -ww -z "$P/share/man/man1/reckon.1" 2>&1 || true)
  [ -z "$w" ] || fail "groff warns about the man page: $w"
fi

# An embedder's program, built against the installed files only.
cat >"$T/embed.c" <<'EOF'
#include <reckon/reckon.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    int rc = rk_store_create(&st, &ctx, argv[1]);
    if (rc != RK_OK)
        fprintf(stderr, "%s\n", ctx.err.message);
    rk_store_free(st);
    rk_ctx_release(&ctx);
    return rc == RK_OK ? 0 : 1;
}
EOF
san=()
[ "$SANITIZE" = ON ] && san=(-fsanitize=address,undefined)
# shellcheck disable=SC2046
cc -std=c11 "${san[@]}" -o "$T/embed" "$T/embed.c" \
  $(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --cflags --libs reckon) ||
  fail "a program does not build against the installed libreckon"
"$T/embed" "$T/embedded.rkp" || fail "the embedding program failed"
[ -s "$T/embedded.rkp" ] || fail "the embedding program wrote no project"

# Uninstall removes every installed file.
make -s -C "$SRC" uninstall DESTDIR="$STAGE" PREFIX=/usr/local >/dev/null
left=$(find "$STAGE" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "ok install: $(wc -l <"$T/install.log") paths installed, an embedder links, uninstall cleans"
