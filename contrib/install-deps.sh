#!/bin/sh
# Install every Debian package spiram_loader needs to build and test, and
# enable deb-src so that OpenOCD's source package can be fetched.
# Idempotent; needs root (or sudo). Used by the README and by .ci/run.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	exec sudo "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive

# Derive deb-src entries from the machine's own Debian sources, so that
# `apt-get source openocd` works without naming any archive here.
enable_deb_src() {
	out=/etc/apt/sources.list.d/spiram-loader-deb-src.sources
	[ -f "$out" ] && return 0
	tmp=$(mktemp)
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		case "$f" in *spiram-loader*) continue ;; esac
		# deb822 stanzas: copy each stanza whose Types has "deb" and
		# whose URIs look like a Debian archive, as a deb-src stanza.
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*deb/ && /(^|\n)URIs:[^\n]*debian/ {
			sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, "");
			print }' "$f" >> "$tmp"
	done
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^[[:space:]]*deb[[:space:]]\(.*debian.*\)$/deb-src \1/p' \
			/etc/apt/sources.list > "$tmp.list"
		if [ -s "$tmp.list" ]; then
			cp "$tmp.list" /etc/apt/sources.list.d/spiram-loader-deb-src.list
		fi
		rm -f "$tmp.list"
	fi
	if [ -s "$tmp" ]; then
		cp "$tmp" "$out"
	fi
	rm -f "$tmp"
}

enable_deb_src
apt-get update -qq

# libjim-dev, libjaylink-dev: OpenOCD master uses the system Jim Tcl (found
# through jim.h and -ljim: Debian ships no jimtcl.pc) and needs libjaylink
# for --enable-jlink; 0.12.0 builds its bundled copies and ignores them.
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake libtool pkg-config texinfo \
	bzip2 xz-utils ca-certificates git dpkg-dev \
	gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi \
	libcmocka-dev libunicorn-dev liblz4-dev \
	libusb-1.0-0-dev libhidapi-dev libftdi1-dev \
	libjim-dev libjaylink-dev \
	gdb-multiarch tcl netcat-openbsd procps python3 \
	clang libclang-rt-14-dev
