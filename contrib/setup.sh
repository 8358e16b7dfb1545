#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Everything a fresh clone needs before `make demo` or `make check`:
# Debian packages (contrib/install-deps.sh), the build system, OpenOCD with
# our driver, the simulator, and an install into ./_install.
# Safe to run again: every step only redoes what changed.
#
# Environment: PREFIX (default ./_install), OPENOCD_SRC (an OpenOCD tree to
# build instead of Debian's 0.12.0 source package), JOBS (default 2).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
prefix=${PREFIX:-$top/_install}
jobs=${JOBS:-2}

step() { printf '\n=== %s\n' "$*"; }

step "Debian packages"
sh contrib/install-deps.sh

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	step "bootstrap"
	./bootstrap >/dev/null
fi
if [ ! -f Makefile ] || [ ! -f config.status ] || [ configure -nt config.status ]; then
	step "configure --prefix=$prefix"
	./configure --prefix="$prefix" ${OPENOCD_SRC:+--with-openocd-src="$OPENOCD_SRC"} >configure.log 2>&1 ||
		{ tail -n 20 configure.log; exit 1; }
fi
step "build (OpenOCD, spiram-sim, helpers)"
make -j"$jobs"
step "install into $prefix"
make install >/dev/null
echo "installed: $prefix/bin/openocd and $prefix/bin/spiram-sim"
