#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `make openocd-patches` against a fresh OpenOCD 0.12.0 tree: the series is
# written from the release tarball that contrib/openocd-prepare.sh
# downloaded (openocd-build/openocd-dl, or $OPENOCD_CACHE), applied with
# `git apply` to a second pristine copy, and the result must
#  - follow OpenOCD's conventions: one "area: subject" per patch, a
#    Signed-off-by line, every file of ours packaged (driver and helpers,
#    stub sources, the real boards' configs), every command of the
#    driver's command table documented in doc/openocd.texi;
#  - regenerate the stub image byte for byte with the loader's Makefile;
#  - build with OpenOCD's own flags (-Werror included), know the driver
#    (`flash bank ... spiram_loader` accepted, a wrong controller refused),
#    and build the manual (`make info`) with the driver's section.
# Run by `make check-openocd-patches` (about 4 minutes: a full OpenOCD
# build), which .ci/run calls after make check.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$srcdir}
fails=0
pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }

cache=${OPENOCD_CACHE:-$top_builddir/openocd-build/openocd-dl}
tarball=$(ls "$cache"/openocd_0.12.0.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1)
if [ -z "$tarball" ]; then
	echo "FAIL - no OpenOCD 0.12.0 tarball in $cache: run contrib/setup.sh (or set OPENOCD_CACHE)"
	exit 1
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/spiram-patches-test.XXXXXX")
trap '[ "$fails" -eq 0 ] && rm -rf "$W" || echo "files kept in $W"' EXIT
mkdir -p "$W/base"
tar xf "$tarball" -C "$W/base" --strip-components=1 || { echo "FAIL - cannot unpack $tarball"; exit 1; }

sh "$srcdir/contrib/openocd-patches.sh" "$srcdir" "$W/base" "$W/series" > "$W/patches.log" 2>&1
check "openocd-patches.sh writes a series" [ $? -eq 0 ]
cat "$W/patches.log"
set -- "$W"/series/*.patch
[ -f "$1" ] || { echo "FAIL - no patches"; exit 1; }
echo "series: $# patches"

# Conventions: [PATCH n/m] area: subject; a Signed-off-by line.
for p in "$@"; do
	n=$(basename "$p")
	check "$n: subject 'area: what'" grep -qE '^Subject: \[PATCH [0-9]+/[0-9]+\] [a-z0-9_./-]+: [a-z]' "$p"
	check "$n: Signed-off-by" grep -q '^Signed-off-by: .* <.*@.*>$' "$p"
done

# Every file of ours is in the series, where OpenOCD keeps such files.
missing=
for f in "$srcdir"/src/flash/nor/spiram_*.[ch]; do
	grep -q "^+++ b/src/flash/nor/$(basename "$f")\$" "$W"/series/*.patch || missing="$missing $f"
done
for f in "$srcdir"/stub/*; do
	[ "$(basename "$f")" = stub.mk ] && continue
	grep -q "^+++ b/contrib/loaders/flash/spiram_loader/$(basename "$f")\$" "$W"/series/*.patch || missing="$missing $f"
done
for f in "$srcdir"/tcl/board/spiram-*.cfg; do
	case $f in */spiram-sim-*) continue ;; esac
	grep -q "^+++ b/tcl/board/$(basename "$f")\$" "$W"/series/*.patch || missing="$missing $f"
done
check "every driver, helper, stub and real board file is packaged${missing:+ (missing:$missing)}" [ -z "$missing" ]

mkdir -p "$W/patched"
cp -a "$W/base/." "$W/patched/"
cd "$W/patched" || exit 1
applied=yes
for p in "$W"/series/*.patch; do
	git apply --whitespace=error-all "$p" || { applied=no; echo "cannot apply $(basename "$p")"; }
done
check "the series applies to a pristine 0.12.0 tree (git apply, no whitespace errors)" [ $applied = yes ]

# Besides the stub image, our files arrive unchanged; the driver differs
# only in where it includes the image from.
same=yes
for f in "$srcdir"/src/flash/nor/spiram_*.[ch]; do
	b=$(basename "$f")
	if [ "$b" = spiram_loader.c ]; then
		diff "$f" src/flash/nor/$b | grep -q '^[<>]' &&
			[ "$(diff "$f" src/flash/nor/$b | grep -c '^[<>]')" = 2 ] &&
			grep -qxF '#include "../../../contrib/loaders/flash/spiram_loader/spiram_stub.inc"' src/flash/nor/$b ||
			{ same=no; echo "src/flash/nor/$b differs more than by its #include of the stub image"; }
	else
		cmp -s "$f" "src/flash/nor/$b" || { same=no; echo "src/flash/nor/$b differs"; }
	fi
done
check "driver and helpers arrive as in this repository" [ $same = yes ]

# The loader's Makefile regenerates the checked-in image byte for byte.
cp contrib/loaders/flash/spiram_loader/spiram_stub.inc "$W/stub.inc.orig"
touch contrib/loaders/flash/spiram_loader/*.c
make -C contrib/loaders/flash/spiram_loader CROSS_COMPILE="$(dirname "${ARM_CC:-/usr/bin/arm-none-eabi-gcc}")/arm-none-eabi-" \
	> "$W/stub.log" 2>&1
check "the loader's Makefile runs (see stub.log)" [ $? -eq 0 ]
check "it regenerates spiram_stub.inc identical to the checked-in one" \
	cmp -s contrib/loaders/flash/spiram_loader/spiram_stub.inc "$srcdir/src/flash/nor/spiram_stub.inc"
make -C contrib/loaders/flash/spiram_loader clean > /dev/null 2>&1

# Build with OpenOCD's own configure defaults (-Werror), plus the dummy adapter.
echo "building the patched tree (autoreconf, configure, make)"
{ autoreconf --force --install --no-recursive && ./configure --enable-dummy --disable-doxygen-html \
	--disable-doxygen-pdf && make -j"${JOBS:-2}"; } > "$W/build.log" 2>&1
built=$?
check "the patched 0.12.0 tree builds with -Werror" [ $built -eq 0 ]
[ $built -eq 0 ] || grep -n -B2 -A6 'error' "$W/build.log" | tail -n 40

if [ $built -eq 0 ]; then
	target="adapter driver dummy; transport select jtag; jtag newtap chip cpu -irlen 4 -expected-id 0;
		dap create chip.dap -chain-position chip.cpu; target create chip.cpu cortex_m -dap chip.dap"
	src/openocd -c "$target" -c "flash bank ext spiram_loader 0x90000000 0 0 0 chip.cpu stm32_qspi 0x52005000" \
		-c "echo \"BANKS: [flash list]\"; shutdown" > "$W/run.log" 2>&1
	check "the built openocd knows the spiram_loader driver" grep -q '^BANKS: .*driver spiram_loader base 2415919104' "$W/run.log"
	src/openocd -c "$target" -c "flash bank ext spiram_loader 0x90000000 0 0 0 chip.cpu nosuch 1" \
		-c "shutdown" > "$W/run-bad.log" 2>&1
	check "and refuses a wrong controller with the driver's message" \
		grep -q "spiram_loader: unknown controller 'nosuch'" "$W/run-bad.log"
fi

# The manual: the tarball ships openocd.info; build it again from the texi.
rm -f doc/openocd.info doc/openocd.info-*
make info > "$W/info.log" 2>&1
check "make info builds the manual" [ $? -eq 0 ]
cat doc/openocd.info* > "$W/manual.txt" 2>/dev/null
check "the manual has the spiram_loader driver section" grep -q 'Flash Driver: spiram_loader' "$W/manual.txt"
undoc=
for c in $(sed -n '/spiram_loader_exec_command_handlers\[\]/,/COMMAND_REGISTRATION_DONE/s/^[[:space:]]*\.name = "\([^"]*\)".*/\1/p' \
		"$srcdir/src/flash/nor/spiram_loader.c"); do
	grep -q "Command: spiram_loader $c " "$W/manual.txt" || undoc="$undoc $c"
done
check "every spiram_loader command is in the manual${undoc:+ (missing:$undoc)}" [ -z "$undoc" ]

echo "$fails failed"
[ "$fails" -eq 0 ]
