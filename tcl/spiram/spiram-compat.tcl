# SPDX-License-Identifier: GPL-2.0-or-later
#
# Config commands whose spelling differs between the OpenOCD versions
# spiram_loader is tested with (0.12.0 and current master).  Each proc
# tests whether the newer command exists and uses it, falling back to the
# 0.12.0 spelling; none looks at a version number.  Current master then
# prints no deprecation warning, and 0.12.0, which does not know the new
# spellings, keeps working.
#
# Sourced by interface/spiram-sim.cfg, by the board files of real probes
# that speak DAP directly, and by the end-to-end tests' openocd command
# lines.  Sourcing it again only redefines the procs.

# spiram_server_port SERVER PORT: set the TCP port of OpenOCD's `gdb`,
# `tcl` or `telnet` server ("disabled" turns it off).  Newer OpenOCD has
# the subcommands `gdb port`, `tcl port`, `telnet port` and deprecates
# gdb_port, tcl_port, telnet_port; 0.12.0 has only the latter.
proc spiram_server_port {server port} {
	if {[llength [info commands "$server port"]]} {
		$server port $port
	} else {
		${server}_port $port
	}
}

# spiram_select_dapdirect_swd: select SWD on an adapter that talks to the
# DAP directly (vdebug, an ST-Link in DAP mode).  0.12.0 registers that
# transport under the name dapdirect_swd (and refuses "swd" for such an
# adapter); newer OpenOCD lists it as plain swd and deprecates the old
# name.  `transport list` says which names this OpenOCD has.
proc spiram_select_dapdirect_swd {} {
	if {[lsearch -exact [transport list] dapdirect_swd] >= 0} {
		transport select dapdirect_swd
	} else {
		transport select swd
	}
}

# spiram_stlink_dap_cfg: the interface file that selects the ST-Link in
# DAP mode (st-link driver, not HLA).  In 0.12.0 that is
# interface/stlink-dap.cfg, while interface/stlink.cfg selects HLA; newer
# OpenOCD's interface/stlink.cfg selects the st-link driver itself and
# stlink-dap.cfg is deprecated.  The stock stlink.cfg says which it is.
# Use: source [spiram_stlink_dap_cfg]
proc spiram_stlink_dap_cfg {} {
	set path [find interface/stlink.cfg]
	set f [open $path]
	set text [read $f]
	close $f
	if {[regexp -line {^\s*adapter driver st-link\s*$} $text]} {
		return $path
	}
	return [find interface/stlink-dap.cfg]
}

# (the result of sourcing this file stays empty: newer OpenOCD echoes it)
return
