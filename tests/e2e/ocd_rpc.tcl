# SPDX-License-Identifier: GPL-2.0-or-later
#
# A client for OpenOCD's Tcl RPC server (port 6666): each command is sent
# as text terminated by 0x1a, and the reply comes back terminated by 0x1a.
# This is the protocol OpenOCD's Python examples speak; the procs below
# are the flash operations scripts use through such an API: banks, info,
# read, read to file, write, write_image (erase, verify), erase_sector,
# erase_all, protect and verify.
#
# Every call returns the command's result, or raises a Tcl error carrying
# OpenOCD's message, so scripts can `catch` a failing flash operation.
#
# Note: ocd_rpc::read and ocd_rpc::info shadow Tcl's own read and info
# inside this namespace; procs here call those as ::read and ::info.

namespace eval ocd_rpc {
	variable sock ""
	variable terminator "\x1a"
}

proc ocd_rpc::connect {{host 127.0.0.1} {port 6666} {timeout_ms 10000}} {
	variable sock
	set deadline [expr {[clock milliseconds] + $timeout_ms}]
	while {[catch {socket $host $port} s]} {
		if {[clock milliseconds] > $deadline} {
			error "cannot connect to OpenOCD's Tcl RPC server at $host:$port: $s"
		}
		after 100
	}
	fconfigure $s -translation binary -buffering none -blocking 1
	set sock $s
}

proc ocd_rpc::close {} {
	variable sock
	if {$sock ne ""} {
		catch {::close $sock}
		set sock ""
	}
}

# Raw exchange: send one command, return the reply text.
proc ocd_rpc::raw {command} {
	variable sock
	variable terminator
	if {$sock eq ""} { error "not connected" }
	puts -nonewline $sock "$command$terminator"
	flush $sock
	set reply ""
	while {1} {
		set c [::read $sock 1]	;# the global read: ocd_rpc::read is ours
		if {$c eq ""} {
			if {[eof $sock]} { error "OpenOCD closed the connection" }
			continue
		}
		if {$c eq $terminator} { break }
		append reply $c
	}
	return $reply
}

# Run a command in OpenOCD; return its result or raise its error message.
proc ocd_rpc::call {command} {
	set reply [raw "list \[catch {$command} __rpc_msg\] \$__rpc_msg"]
	if {[llength $reply] != 2} {
		error "unexpected reply from OpenOCD: $reply"
	}
	lassign $reply code msg
	if {$code != 0} {
		error $msg
	}
	return $msg
}

# --- flash operations -------------------------------------------------

# List of dicts: number name driver base size (from `flash list`).
proc ocd_rpc::banks {} {
	set out {}
	set n 0
	foreach b [call "flash list"] {
		dict set b number $n
		lappend out $b
		incr n
	}
	return $out
}

proc ocd_rpc::info {bank} {
	return [call "capture {flash info $bank}"]
}

proc ocd_rpc::probe {bank} {
	return [call "flash probe $bank"]
}

# Read `count` bytes at `address` (CPU address of the bank); returns a
# byte string.  Goes through a temporary file because the RPC channel is
# text.
proc ocd_rpc::read {bank offset count file} {
	call "flash read_bank $bank {$file} $offset $count"
	set f [open $file rb]
	set data [::read $f]
	::close $f
	return $data
}

proc ocd_rpc::read_to_file {bank file {offset 0} {count ""}} {
	if {$count eq ""} {
		return [call "flash read_bank $bank {$file} $offset"]
	}
	return [call "flash read_bank $bank {$file} $offset $count"]
}

proc ocd_rpc::write {bank file {offset 0}} {
	return [call "flash write_bank $bank {$file} $offset"]
}

# write_image with optional erase and verify, as a script would do it.
proc ocd_rpc::write_image {file address {erase 1} {verify 1} {type ""}} {
	set cmd "flash write_image"
	if {$erase} { append cmd " erase" }
	append cmd " {$file} $address"
	if {$type ne ""} { append cmd " $type" }
	set r [call $cmd]
	if {$verify} {
		if {$type eq "" || $type eq "bin"} {
			append r "\n" [call "flash verify_image {$file} $address"]
		} else {
			append r "\n" [call "flash verify_image {$file} 0 $type"]
		}
	}
	return $r
}

proc ocd_rpc::erase_sector {bank first last} {
	return [call "flash erase_sector $bank $first $last"]
}

proc ocd_rpc::erase_all {bank} {
	return [call "flash erase_sector $bank 0 last"]
}

proc ocd_rpc::protect {bank first last on} {
	return [call "flash protect $bank $first $last [expr {$on ? "on" : "off"}]"]
}

proc ocd_rpc::verify {bank file {offset 0}} {
	return [call "flash verify_bank $bank {$file} $offset"]
}
