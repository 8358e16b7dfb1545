# SPDX-License-Identifier: GPL-2.0-or-later
#
# The client side of tests/e2e/test_usedby_tclrpc.sh: a script that drives
# OpenOCD through its Tcl RPC port with ocd_rpc.tcl, as users script the
# flash through OpenOCD's Python/Tcl RPC API, and checks every result
# against the simulator's image file (read directly from disk: the image
# is the flash).
#
#   tclsh usedby_tclrpc.tcl <ocd_rpc.tcl> <port> <image> <work dir>
#
# Prints "ok   - ..." / "FAIL - ..." lines; exit status = number of FAILs.
# The image starts with random data; bank 1 is the W25Q128JV (16 MiB,
# 4 KiB sectors) of the simulated STM32H750.

lassign $argv rpc_file port image dir
source $rpc_file

set fails 0
proc check {what ok} {
	global fails
	if {$ok} {
		puts "ok   - $what"
	} else {
		puts "FAIL - $what"
		incr fails
	}
}

# Bytes of the image file (the flash) at offset.
proc image_bytes {offset count} {
	global image
	set f [open $image rb]
	seek $f $offset
	set data [read $f $count]
	close $f
	return $data
}
proc file_bytes {path} {
	set f [open $path rb]
	set data [read $f]
	close $f
	return $data
}
proc random_file {path count} {
	set f [open /dev/urandom rb]
	set data [read $f $count]
	close $f
	set f [open $path wb]
	puts -nonewline $f $data
	close $f
	return $data
}
proc ff {count} {
	return [string repeat \xff $count]
}
# Run body; return {1 result} or {0 error message}.
proc try_call {body} {
	if {[catch {uplevel 1 $body} msg]} {
		return [list 0 $msg]
	}
	return [list 1 $msg]
}

ocd_rpc::connect 127.0.0.1 $port

# --- banks, info ----------------------------------------------------------
ocd_rpc::probe 1
set banks [ocd_rpc::banks]
set b1 [lindex $banks 1]
check "banks: two banks" [expr {[llength $banks] == 2}]
check "banks: bank 0 is the internal flash at 0x08000000" \
	[expr {[dict get [lindex $banks 0] base] == 0x08000000}]
check "banks: bank 1 is spiram_loader at 0x90000000, 16 MiB" \
	[expr {[dict get $b1 driver] eq "spiram_loader" && [dict get $b1 base] == 0x90000000 \
		&& [dict get $b1 size] == 0x1000000}]
set info [ocd_rpc::info 1]
check "info 1: names the W25Q128JV and its 4096 sectors" \
	[expr {[string match "*W25Q128JV*" $info] && [string match "*#4095: 0x00fff000 (0x1000 4kB)*" $info]}]

# --- read, read to file ----------------------------------------------------
set data [ocd_rpc::read 1 0x7FF01 0x2403 $dir/rpc-read.bin]
check "read 0x2403 bytes at 0x7FF01: equal to the image" \
	[expr {[string length $data] == 0x2403 && $data eq [image_bytes 0x7FF01 0x2403]}]
ocd_rpc::read_to_file 1 $dir/rpc-tail.bin 0xFFFF00
check "read to file from 0xFFFF00 to the end: the last 256 bytes of the image" \
	[expr {[file_bytes $dir/rpc-tail.bin] eq [image_bytes 0xFFFF00 256]}]
set r [try_call {ocd_rpc::read_to_file 1 $dir/rpc-past.bin 0xFFFFFF 2}]
# (OpenOCD logs a failing command's message; the RPC result only says it
# failed.  The shell side finds the messages in OpenOCD's log.)
check "read past the end: the client gets an error" [expr {![lindex $r 0]}]

# --- erase_sector, write, verify --------------------------------------------
set before [image_bytes 0x20000 0x3000]
ocd_rpc::erase_sector 1 0x21 0x21
check "erase_sector 1 0x21 0x21: 0x21000-0x21FFF erased, its neighbours untouched" \
	[expr {[image_bytes 0x21000 0x1000] eq [ff 0x1000] && [image_bytes 0x20000 0x1000] eq [string range $before 0 0xFFF] \
		&& [image_bytes 0x22000 0x1000] eq [string range $before 0x2000 end]}]
set w [random_file $dir/rpc-write.bin 0x401]
ocd_rpc::write 1 $dir/rpc-write.bin 0x21BFF
check "write 0x401 bytes at 0x21BFF: in the image, the rest of the sector still erased" \
	[expr {[image_bytes 0x21BFF 0x401] eq $w && [image_bytes 0x21000 0xBFF] eq [ff 0xBFF] \
		&& [image_bytes 0x22000 0x1000] eq [string range $before 0x2000 end]}]
set r [try_call {ocd_rpc::verify 1 $dir/rpc-write.bin 0x21BFF}]
check "verify (same file): passes" [lindex $r 0]
set r [try_call {ocd_rpc::verify 1 $dir/rpc-write.bin 0x21C00}]
check "verify (one byte off): the client gets an error" [expr {![lindex $r 0]}]

# --- write_image with erase and verify -------------------------------------
set wi [random_file $dir/rpc-image.bin 0x1801]
set head [image_bytes 0x30000 0x800]
set tail [image_bytes 0x32001 0xFFF]
set after_end [image_bytes 0x33000 0x1000]
set r [try_call {ocd_rpc::write_image $dir/rpc-image.bin 0x90030800 1 1 bin}]
check "write_image erase + verify_image at 0x90030800: ok" [lindex $r 0]
# smart programming keeps the bytes of a sector the image does not cover
check "write_image: the image holds the file; the rest of its sectors (0x30000-0x307FF, 0x32001-0x32FFF) kept; 0x33000 untouched" \
	[expr {[image_bytes 0x30800 0x1801] eq $wi && [image_bytes 0x30000 0x800] eq $head \
		&& [image_bytes 0x32001 0xFFF] eq $tail && [image_bytes 0x33000 0x1000] eq $after_end}]
check "write_image: the verify step reports a match" [string match "*verified*" [string tolower [lindex $r 1]]]

# --- protect ---------------------------------------------------------------
ocd_rpc::protect 1 0 63 on
set info [ocd_rpc::info 1]
check "protect 1 0 63 on (bottom 256 KiB): info shows sectors 0 and 63 protected, 64 not" \
	[expr {[string match "*#  0: 0x00000000 (0x1000 4kB) protected*" $info] \
		&& [string match "*# 63: 0x0003f000 (0x1000 4kB) protected*" $info] \
		&& [string match "*# 64: 0x00040000 (0x1000 4kB) not protected*" $info]}]
set before [image_bytes 0x21000 0x1000]
set r [try_call {ocd_rpc::erase_sector 1 0x21 0x21}]
check "erase_sector inside the protected range: the client gets an error" [expr {![lindex $r 0]}]
check "erase_sector inside the protected range: image unchanged" [expr {[image_bytes 0x21000 0x1000] eq $before}]
ocd_rpc::protect 1 0 63 off
set info [ocd_rpc::info 1]
check "protect 1 0 63 off: info shows no sector protected" [expr {![string match "*) protected*" $info]}]

# --- erase_all ---------------------------------------------------------------
set r [try_call {ocd_rpc::erase_all 1}]
check "erase_all: ok" [lindex $r 0]
set f [open $image rb]
set all_ff 1
set blank [ff 0x100000]
for {set i 0} {$i < 16} {incr i} {
	if {[read $f 0x100000] ne $blank} {
		set all_ff 0
	}
}
close $f
check "erase_all: the whole image is 0xFF" $all_ff

# OpenOCD closes the connection as it shuts down: no reply to wait for
catch {ocd_rpc::call shutdown}
ocd_rpc::close
exit $fails
