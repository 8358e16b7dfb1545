#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Tcl guard lists an image's sections before `flash write_image` and
# `verify_image`.  For a plain binary it does so without test_image (which
# reads the whole file): spiram_binary_section (tcl/spiram/spiram-helpers.tcl)
# must take a file as binary exactly when OpenOCD does, and give the section
# test_image gives.  Checked against OpenOCD's own test_image on the H750
# twin: random binaries (one starting with bytes that look like an S-record
# or Intel HEX line but are not), the same data as Intel HEX, S-record and
# ELF, and the type given on the command line.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM ARM_CC ARM_OBJCOPY

d=$E2E_DIR
e2e_random_file "$d/fw.bin" $((0x12345))
# binary, though its start looks like a record to a careless check
{ printf 'S9z'; head -c 100 /dev/urandom; } >"$d/s9z.bin"
{ printf ':10000G'; head -c 100 /dev/urandom; } >"$d/colon.bin"
"$ARM_OBJCOPY" -I binary -O ihex --change-addresses 0x90001000 "$d/fw.bin" "$d/fw.hex"
"$ARM_OBJCOPY" -I binary -O srec --change-addresses 0x90002000 "$d/fw.bin" "$d/fw.s19"
# an ELF with program headers, as a link makes it
printf 'const unsigned char blob[4096] = { 1, 2, 3 };\n' >"$d/blob.c"
"$ARM_CC" -mthumb -nostdlib -nostartfiles -Wl,-e,0 -Wl,--section-start=.rodata=0x90003000 \
	-o "$d/fw.elf" "$d/blob.c" >"$d/cc.log" 2>&1 || e2e_fail "building fw.elf (see cc.log)"

e2e_start_sim stm32h750 "$d/flash.img" || { e2e_fail "simulator start"; e2e_done; }
# each case: file [offset [type]]; prints the guard's answer and test_image's sections
cases=("fw.bin 0x90000000" "fw.bin" "s9z.bin 0x90010000" "colon.bin 0x90020000"
	"fw.hex" "fw.s19" "fw.elf" "fw.hex 0 bin" "fw.bin 0x90000000 bin" "fw.elf 0 elf")
tcl="foreach c {"
for c in "${cases[@]}"; do
	tcl+=" {$c}"
done
tcl+="} { set a [lassign \$c f]; set f $d/\$f; \
	set fast [spiram_binary_section \$f {*}\$a]; \
	if {[catch {spiram_target_test_image \$f {*}\$a} out]} { set out {} }; \
	set secs {}; foreach {- addr len} [regexp -all -inline {address (0x[0-9a-fA-F]+) length (0x[0-9a-fA-F]+)} \$out] { if {\$len > 0} { lappend secs [list [expr {\$addr + 0}] [expr {\$addr + \$len}]] } }; \
	echo \"CASE {\$c} FAST {\$fast} TEST {\$secs}\" }"
log=$d/sections.log
ub_openocd board/spiram-sim-stm32h750.cfg "$log" init "$tcl" shutdown
rc=$?
e2e_check "openocd ran the cases (exit 0, got $rc)" test $rc -eq 0

# case_check "file args" binary(1/0)
case_check() {
	line=$(grep -F "CASE {$1} " "$log")
	fast=$(sed -n 's/.* FAST {\(.*\)} TEST .*/\1/p' <<<"$line")
	test=$(sed -n 's/.* TEST {\(.*\)}$/\1/p' <<<"$line")
	if [ "$2" = 1 ]; then
		e2e_check "$1: a binary, the guard says {$fast}, test_image {$test}" \
			test -n "$test" -a "$fast" = "ok $test"
	else
		e2e_check "$1: not a plain binary, left to test_image (guard: '$fast'; test_image: {$test})" \
			test -z "$fast" -a -n "$test"
	fi
}
case_check "fw.bin 0x90000000" 1
case_check "fw.bin" 1
case_check "s9z.bin 0x90010000" 1
case_check "colon.bin 0x90020000" 1
case_check "fw.hex" 0
case_check "fw.s19" 0
case_check "fw.elf" 0
case_check "fw.hex 0 bin" 1
case_check "fw.bin 0x90000000 bin" 1
case_check "fw.elf 0 elf" 0
e2e_done
