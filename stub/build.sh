#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the spiram_loader target stub and generate spiram_stub.inc.
#
#   stub/build.sh SRCDIR OUTDIR
#
# SRCDIR is the top of the source tree, OUTDIR a scratch directory.  Builds
# one image per controller backend (OUTDIR/qspi, ospi, spi, gpio: spiram_stub.elf,
# raw.bin, stack.txt), writes OUTDIR/spiram_stub.inc (the images back to
# back, QUADSPI first, header CRCs filled in) and prints for each image its
# size and worst-case stack (summed along the call graph from
# -fcallgraph-info=su at the link, which compiles the whole image at once
# (-flto); an indirect call through the backend ops counts as the deepest
# backend function).
#
# Checks, each a build failure: the linker script asserts (no GOT, no
# writable data, <= 8 KiB per image); each image linked at 0 and at 0x20000000 must be
# byte-identical (no absolute address anywhere: position independent);
# worst-case stack <= the header's stack_size (1024).
#
# Environment: ARM_CC (arm-none-eabi-gcc), ARM_OBJCOPY, HOST_CC (cc).

set -e

srcdir=$1
out=$2
if [ -z "$srcdir" ] || [ -z "$out" ]; then
	echo "usage: $0 SRCDIR OUTDIR" >&2
	exit 2
fi
ARM_CC=${ARM_CC:-arm-none-eabi-gcc}
ARM_OBJCOPY=${ARM_OBJCOPY:-arm-none-eabi-objcopy}
HOST_CC=${HOST_CC:-cc}
STACK_BUDGET=1024

mkdir -p "$out"
# Relative source names keep paths out of every output.
cd "$srcdir"

CFLAGS="-mthumb -Os -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter
	-fPIE -fvisibility=hidden -ffreestanding -fno-common -ffunction-sections
	-fno-asynchronous-unwind-tables -flto -flto-partition=none
	-Istub -Isrc/flash/nor"
CORE="stub/stub_main.c stub/stub_nor.c stub/stub_scan.c stub/stub_lz.c stub/stub_lz_expand.c"

# One image per controller backend: name, extra sources, define, capability
# bits, CPU it is built for.  ARMv6-M (cortex-m0plus) runs on every
# Cortex-M; STM32 QUADSPI only exists on Cortex-M4/M7 parts, so its image
# is built for ARMv7-M (Thumb-2: smaller and faster) and its header says
# min_arch = SPIRAM_ARCH_V7M, which the driver checks against the core.
VARIANTS="qspi:stub/backend_qspi.c,stub/stub_xspi.c:STUB_WITH_QSPI:0x4001:cortex-m3
ospi:stub/backend_ospi.c,stub/stub_xspi.c:STUB_WITH_OSPI:0x4008:cortex-m3
spi:stub/backend_spi.c,stub/stub_serial.c:STUB_WITH_SPI:0x0002:cortex-m0plus
gpio:stub/backend_gpio.c,stub/stub_serial.c:STUB_WITH_GPIO:0x0004:cortex-m0plus"

$HOST_CC -std=gnu11 -Wall -O2 -Isrc/flash/nor stub/spiram_stub_gen.c src/flash/nor/spiram_crc.c \
	-o "$out/spiram_stub_gen"

bins=""
for v in $VARIANTS; do
	name=${v%%:*}; rest=${v#*:}
	extra=$(echo "${rest%%:*}" | tr ',' ' '); rest=${rest#*:}
	define=${rest%%:*}; rest=${rest#*:}
	caps=${rest%%:*}; cpu=${rest#*:}
	# SPIRAM_ARCH_V6M = 0, SPIRAM_ARCH_V7M = 1 (spiram_contract.h)
	case $cpu in cortex-m0*) arch=0 ;; *) arch=1 ;; esac
	dir=$out/$name
	mkdir -p "$dir"
	rm -f "$dir"/*.ci
	objs="$dir/stub_entry.o"
	$ARM_CC -mcpu=$cpu -mthumb -DSTUB_CAPS=$caps -DSTUB_MIN_ARCH=$arch -c stub/stub_entry.S -o "$dir/stub_entry.o"
	for src in $CORE $extra; do
		obj=$dir/$(basename "$src" .c).o
		# shellcheck disable=SC2086
		$ARM_CC -mcpu=$cpu $CFLAGS -D$define -c "$src" -o "$obj"
		objs="$objs $obj"
	done
	# The code is generated here, for the whole image (link-time
	# optimisation: one image, about 3 % smaller); the call graph too.
	link() {
		# shellcheck disable=SC2086
		$ARM_CC -mcpu=$cpu $CFLAGS -flinker-output=pie --specs=nano.specs -nostartfiles \
			-Wl,--gc-sections -Wl,--build-id=none "$@" -Wl,-T,stub/stub.ld $objs -lgcc
	}
	link -o "$dir/spiram_stub.elf" -Wl,-Map,"$dir/spiram_stub.map" -fstack-usage -fcallgraph-info=su
	link -o "$dir/spiram_stub_moved.elf" -Wl,--defsym,STUB_BASE=0x20000000
	$ARM_OBJCOPY -O binary -j .text "$dir/spiram_stub.elf" "$dir/raw.bin"
	$ARM_OBJCOPY -O binary -j .text "$dir/spiram_stub_moved.elf" "$dir/moved.bin"
	if ! cmp -s "$dir/raw.bin" "$dir/moved.bin"; then
		echo "spiram_stub ($name): the image changes with its link address: some code or constant" >&2
		echo "holds an absolute address (a function pointer table or pointer in const data)" >&2
		exit 1
	fi
	bins="$bins $dir/raw.bin"
# Worst-case stack along the call graph.
cat "$dir"/*.ci | awk -v budget=$STACK_BUDGET '
function unq(s) { sub(/^"/, "", s); sub(/"$/, "", s); return s }
# A title is "unit:function" for a local one; the link-time unit has a
# temporary name, so the function name alone.
function fn(s) { sub(/".*/, "", s); sub(/.*:/, "", s); return s }
/^node:/ {
	t = $0; sub(/.*title: "/, "", t); t = fn(t)
	if (match($0, /[0-9]+ bytes/)) { n = substr($0, RSTART, RLENGTH); sub(/ bytes/, "", n); frame[t] = n + 0 }
	else if (!(t in frame)) frame[t] = -1
	# targets of the ops table: backend functions and the serial framing
	# (by the source file in the label)
	if ($0 ~ /(backend_[a-z]*|stub_serial)\.c:/) backend[t] = 1
}
/^edge:/ {
	s = $0; sub(/.*sourcename: "/, "", s); s = fn(s)
	d = $0; sub(/.*targetname: "/, "", d); d = fn(d)
	key = s SUBSEP d
	if (!(key in seen)) { seen[key] = 1; ncallee[s]++; callee[s, ncallee[s]] = d }
}
function depth(f, lvl,    best, i, c, v, own) {
	if (lvl > 40) { print "spiram_stub: call graph too deep or recursive at " f > "/dev/stderr"; exit 1 }
	if (f in memo) return memo[f]
	own = frame[f]
	if (own < 0) own = 32	# library helper (memset, __aeabi_*): small leaf frames
	best = 0
	for (i = 1; i <= ncallee[f]; i++) {
		c = callee[f, i]
		if (c == "__indirect_call") {
			v = 0
			for (b in backend) { if (b == f) continue; w = depth(b, lvl + 1); if (w > v) v = w }
		}
		else v = depth(c, lvl + 1)
		if (v > best) best = v
	}
	memo[f] = own + best
	return memo[f]
}
END {
	d = depth("spiram_stub_main", 0) + 8 + 20	# + the entry: 8 as before, and the 5 registers it saves
	print d
	if (d > budget) { print "spiram_stub: worst-case stack " d " exceeds " budget > "/dev/stderr"; exit 1 }
}' > "$dir/stack.txt"

	size=$(wc -c < "$dir/raw.bin")
	echo "spiram_stub ($name, $cpu): image $size bytes of 8192 (code + constants)," \
		"worst-case stack $(cat "$dir/stack.txt") bytes of $STACK_BUDGET (call graph)"
	[ "$size" -gt "${largest:-0}" ] && largest=$size
done

# The smallest work area the driver accepts with the largest image: the
# image (rounded up to 8), the parameter block, the 1 KiB scratch buffer,
# the stack and the smallest FIFO (as spiram_session_begin in
# src/flash/nor/spiram_loader.c lays it out; sizes from spiram_contract.h).
cat > "$out/sizes.c" <<'SIZES'
#include <stdio.h>
#include "spiram_contract.h"
int main(void)
{
	printf("%u %u %u\n", (unsigned int)sizeof(struct spiram_params), SPIRAM_MIN_STACK_SIZE, SPIRAM_MIN_FIFO_SIZE);
	return 0;
}
SIZES
$HOST_CC -std=gnu11 -Isrc/flash/nor "$out/sizes.c" -o "$out/sizes"
set -- $("$out/sizes")
min_area=$(( (largest + 7) / 8 * 8 + ($1 + 7) / 8 * 8 + 1024 + $2 + $3 ))
echo "spiram_stub: minimum work area $min_area bytes of 16384 (largest image $largest," \
	"parameter block $1, scratch 1024, stack $2, FIFO $3)"
if [ "$min_area" -gt 16384 ]; then
	echo "spiram_stub: the minimum work area exceeds 16 KiB" >&2
	exit 1
fi

# shellcheck disable=SC2086
"$out/spiram_stub_gen" "$out/spiram_stub.inc" $bins
