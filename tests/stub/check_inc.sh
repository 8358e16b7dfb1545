#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The checked-in src/flash/nor/spiram_stub.inc must be exactly what the stub
# sources build to.  Rebuilds the stub into a temporary directory and
# compares byte for byte.  Exit 77 (skipped) without arm-none-eabi-gcc.
# Fix a failure with: stub/build.sh . /tmp/x && cp /tmp/x/spiram_stub.inc src/flash/nor/

srcdir=${srcdir:-.}
ARM_CC=${ARM_CC:-arm-none-eabi-gcc}
if ! command -v "$ARM_CC" > /dev/null 2>&1; then
	echo "check_inc: $ARM_CC not found, skipped"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
abs_srcdir=$(cd "$srcdir" && pwd)
sh "$abs_srcdir/stub/build.sh" "$abs_srcdir" "$tmp" || exit 1
if ! cmp "$tmp/spiram_stub.inc" "$abs_srcdir/src/flash/nor/spiram_stub.inc"; then
	echo "check_inc: src/flash/nor/spiram_stub.inc is stale: rebuild it with" >&2
	echo "  stub/build.sh . OUTDIR && cp OUTDIR/spiram_stub.inc src/flash/nor/" >&2
	exit 1
fi
echo "check_inc: spiram_stub.inc matches the sources"
