# Automake fragment, included from the top-level Makefile.am.
# End-to-end tests: the real OpenOCD, GDB and Tcl clients against spiram-sim.

EXTRA_DIST += tests/e2e/lib.sh tests/e2e/ocd_rpc.tcl
