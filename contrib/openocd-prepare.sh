#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Prepare an OpenOCD source tree that carries the spiram_loader driver.
#
#   openocd-prepare.sh <project-srcdir> <dest-dir> [<openocd-src-dir>]
#
# With <openocd-src-dir>, that tree (0.12.0 or current master) is copied;
# it is never modified in place.  Without it, OpenOCD 0.12.0 comes from
# Debian's source package: apt-get source --download-only, then the
# .orig.tar.bz2 is checked against the SHA-256 listed in the .dsc.
#
# The copy is then patched: our driver files are added, the driver is
# declared where the tree declares its flash drivers (src/flash/nor/driver.h
# on current master, drivers.c in 0.12.0), listed in drivers.c's driver
# array and in src/flash/nor/Makefile.am, and autoreconf regenerates the
# build system.  Re-running refreshes our files only (every patch step is
# idempotent).
#
# API differences between trees are found by probing the copy, never by
# its version number; the answers go into the generated header
# src/flash/nor/spiram_compat_probed.h, which spiram_compat.h includes:
#   SPIRAM_HAVE_CORTEX_M_GET_IMPL_PART  1 if target/cortex_m.h has
#       cortex_m_get_impl_part() (part numbers carry the implementer),
#       0 if it has the older cortex_m_get_partno_safe();
#   SPIRAM_DRIVER_H_DECLARES_DRIVERS  1 if flash/nor/driver.h declares every
#       driver (ours included), so a driver's own forward declaration of
#       its struct flash_driver is redundant (-Wredundant-decls);
#   SPIRAM_LOADER_VERSION  our version: $SPIRAM_LOADER_VERSION, or the
#       AC_INIT version of <project-srcdir>/configure.ac.
#
# SPIRAM_PREPARE_NO_AUTORECONF=1 leaves the build system alone (the patch
# series, contrib/openocd-patches.sh, carries Makefile.am only).
set -eu

srcdir=$1
dest=$2
ocdsrc=${3:-}

say() { printf '%s\n' "openocd-prepare: $*"; }
die() { printf '%s\n' "openocd-prepare: error: $*" >&2; exit 1; }

OPENOCD_DEB_VERSION=${OPENOCD_DEB_VERSION:-0.12.0}

fetch_debian_source() {
	cache=$1
	mkdir -p "$cache"
	tarball=$(ls "$cache"/openocd_"$OPENOCD_DEB_VERSION".orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1 || true)
	dsc=$(ls "$cache"/openocd_"$OPENOCD_DEB_VERSION"-*.dsc 2>/dev/null | head -n 1 || true)
	if [ -z "$tarball" ] || [ -z "$dsc" ]; then
		say "fetching OpenOCD $OPENOCD_DEB_VERSION source package (apt-get source)"
		# The Debian diff may be missing from the archive; only the
		# .orig tarball and the .dsc are needed, so a partial failure of
		# apt-get is tolerated and judged by what arrived.
		(cd "$cache" && apt-get source --download-only "openocd=$OPENOCD_DEB_VERSION-*" >apt-source.log 2>&1) ||
			(cd "$cache" && apt-get source --download-only openocd >>apt-source.log 2>&1) || true
		tarball=$(ls "$cache"/openocd_"$OPENOCD_DEB_VERSION".orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1 || true)
		dsc=$(ls "$cache"/openocd_"$OPENOCD_DEB_VERSION"-*.dsc 2>/dev/null | head -n 1 || true)
	fi
	[ -n "$tarball" ] && [ -n "$dsc" ] ||
		die "could not download the openocd $OPENOCD_DEB_VERSION source package; is deb-src enabled? Run contrib/install-deps.sh (see $cache/apt-source.log), or pass --with-openocd-src=DIR"
	name=$(basename "$tarball")
	want=$(awk -v n="$name" '/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == n { print $1 }' "$dsc")
	[ -n "$want" ] || die "no SHA-256 for $name in $(basename "$dsc")"
	have=$(sha256sum "$tarball" | cut -d' ' -f1)
	[ "$want" = "$have" ] || die "checksum mismatch for $name: expected $want, got $have"
	say "$name: SHA-256 matches $(basename "$dsc")"
	echo "$tarball"
}

if [ ! -f "$dest/.spiram-copied" ]; then
	rm -rf "$dest"
	mkdir -p "$dest"
	if [ -n "$ocdsrc" ]; then
		[ -f "$ocdsrc/src/flash/nor/drivers.c" ] ||
			die "$ocdsrc does not look like an OpenOCD source tree (no src/flash/nor/drivers.c)"
		say "copying OpenOCD tree $ocdsrc"
		(cd "$ocdsrc" && tar cf - --exclude=.git .) | (cd "$dest" && tar xf -)
	else
		tarball=$(fetch_debian_source "${OPENOCD_CACHE:-$(dirname "$dest")/openocd-dl}" | tail -n 1)
		say "unpacking $(basename "$tarball")"
		tar xf "$tarball" -C "$dest" --strip-components=1
	fi
	touch "$dest/.spiram-copied"
fi

nor=$dest/src/flash/nor
# Our files: the driver, its pure helpers, the contract and the stub image.
for f in "$srcdir"/src/flash/nor/spiram_*; do
	[ -f "$f" ] || continue
	cmp -s "$f" "$nor/$(basename "$f")" 2>/dev/null || cp "$f" "$nor/"
done

regen=no

# Declare the driver next to stmqspi's declaration, wherever this tree keeps
# the flash driver externs, and list it after stmqspi in the driver array.
anchor='extern const struct flash_driver stmqspi_flash;'
decl='extern const struct flash_driver spiram_loader_flash;'
decl_file=
for f in "$nor/driver.h" "$nor/drivers.c"; do
	if grep -qxF "$anchor" "$f" 2>/dev/null; then
		decl_file=$f
		break
	fi
done
[ -n "$decl_file" ] ||
	die "no '$anchor' in src/flash/nor/driver.h or drivers.c: cannot tell where this tree declares its flash drivers"
if ! grep -qxF "$decl" "$decl_file"; then
	sed -i "s/^$anchor\$/&\n$decl/" "$decl_file"
fi
if ! grep -q '^[[:space:]]*&spiram_loader_flash,' "$nor/drivers.c"; then
	sed -i 's/^\([[:space:]]*\)&stmqspi_flash,/&\n\1\&spiram_loader_flash,/' "$nor/drivers.c"
fi
# The check: declared once exactly where stmqspi is, listed once in the
# array, and the declaration visible to drivers.c (directly or through
# imp.h, which includes driver.h).
[ "$(grep -cxF "$decl" "$decl_file")" = 1 ] ||
	die "spiram_loader_flash is not declared exactly once in $(basename "$decl_file")"
[ "$(grep -c '^[[:space:]]*&spiram_loader_flash,' "$nor/drivers.c")" = 1 ] ||
	die "spiram_loader_flash is not listed exactly once in drivers.c's driver array"
if [ "$decl_file" = "$nor/driver.h" ]; then
	{ grep -q '^#include "imp.h"' "$nor/drivers.c" && grep -q '^#include "driver.h"' "$nor/imp.h"; } ||
		grep -q '^#include "driver.h"' "$nor/drivers.c" ||
		die "drivers.c does not include driver.h, where the driver is declared"
fi

# Probe the tree's APIs (see the header comment) into a generated header.
externs_in_driver_h=0
[ "$decl_file" = "$nor/driver.h" ] && externs_in_driver_h=1
if grep -q 'cortex_m_get_impl_part(' "$dest/src/target/cortex_m.h"; then
	have_impl_part=1
elif grep -q 'cortex_m_get_partno_safe(' "$dest/src/target/cortex_m.h"; then
	have_impl_part=0
else
	die "src/target/cortex_m.h has neither cortex_m_get_impl_part() nor cortex_m_get_partno_safe()"
fi
version=${SPIRAM_LOADER_VERSION:-$(sed -n 's/^AC_INIT(\[spiram_loader\], *\[\([^]]*\)\].*/\1/p' "$srcdir/configure.ac")}
[ -n "$version" ] || die "no version: set SPIRAM_LOADER_VERSION or check AC_INIT in $srcdir/configure.ac"
probed=$nor/spiram_compat_probed.h
cat > "$probed.new" <<EOF
/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generated by contrib/openocd-prepare.sh by probing this OpenOCD tree; do not edit. */
#ifndef OPENOCD_FLASH_NOR_SPIRAM_COMPAT_PROBED_H
#define OPENOCD_FLASH_NOR_SPIRAM_COMPAT_PROBED_H
#define SPIRAM_HAVE_CORTEX_M_GET_IMPL_PART $have_impl_part
#define SPIRAM_DRIVER_H_DECLARES_DRIVERS $externs_in_driver_h
#define SPIRAM_LOADER_VERSION "$version"
#endif
EOF
if cmp -s "$probed.new" "$probed"; then
	rm -f "$probed.new"
else
	mv "$probed.new" "$probed"
	say "probed: cortex_m_get_impl_part() $([ "$have_impl_part" = 1 ] && echo present || echo absent)," \
		"driver externs in $(basename "$decl_file"), spiram_loader version $version"
fi

# Keep the Makefile.am lists equal to the set of our files.
srcs=$(cd "$nor" && ls spiram_*.c 2>/dev/null | sort | sed 's|^|\t%D%/|; s|$| \\|')
hdrs=$(cd "$nor" && ls spiram_*.h spiram_*.inc 2>/dev/null | sort | sed 's|^|\t%D%/|; s|$| \\|')
[ -n "$srcs" ] || die "no src/flash/nor/spiram_*.c in $srcdir"
mk=$nor/Makefile.am
tmp=$mk.spiram
awk -v srcs="$srcs" -v hdrs="$hdrs" '
	/%D%\/spiram_/ { next }
	inlist && /^[[:space:]]*$/ { next }
	{ inlist = 0 }
	/^NOR_DRIVERS = \\$/ { print; if (srcs != "") print srcs; inlist = 1; next }
	/^NORHEADERS = \\$/ { print; if (hdrs != "") print hdrs; inlist = 1; next }
	{ print }' "$mk" > "$tmp"
if ! cmp -s "$tmp" "$mk"; then
	mv "$tmp" "$mk"
	regen=yes
else
	rm -f "$tmp"
fi
# liblz4 (Debian liblz4-dev): spiram_lz.c expands the stub's compressed
# reads; the flash library carries the link flag to openocd.
lz4_libadd='%C%_libocdflashnor_la_LIBADD = -llz4'
if ! grep -qxF "$lz4_libadd" "$mk"; then
	grep -q '_libocdflashnor_la_LIBADD' "$mk" &&
		die "src/flash/nor/Makefile.am already sets libocdflashnor_la_LIBADD: add -llz4 to it by hand"
	printf '\n%s\n' "$lz4_libadd" >>"$mk"
	regen=yes
fi
[ -f "$dest/configure" ] || regen=yes

if [ "$regen" = yes ] && [ -z "${SPIRAM_PREPARE_NO_AUTORECONF:-}" ]; then
	say "regenerating the build system (autoreconf)"
	(cd "$dest" && autoreconf --force --install --no-recursive >autoreconf.log 2>&1) ||
		die "autoreconf failed in $dest, see $dest/autoreconf.log"
fi
say "ready: $dest"
