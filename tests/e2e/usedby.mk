# Automake fragment, included from tests/e2e/e2e.mk.
# Used-by checks: what users run, through the real OpenOCD, GDB and Tcl RPC,
# each against a fresh simulator and checked against its image file and
# counters (tests/e2e/test_usedby_*.sh; helpers in usedby-lib.sh).

USEDBY_TESTS = \
	tests/e2e/test_usedby_read.sh \
	tests/e2e/test_usedby_program.sh \
	tests/e2e/test_usedby_flash.sh \
	tests/e2e/test_usedby_gdb.sh \
	tests/e2e/test_usedby_gdb_h7b0.sh \
	tests/e2e/test_usedby_tclrpc.sh \
	tests/e2e/test_usedby_daisy.sh \
	tests/e2e/test_usedby_4byte.sh \
	tests/e2e/test_usedby_mt25ql512.sh \
	tests/e2e/test_usedby_f746g.sh \
	tests/e2e/test_usedby_h735g.sh \
	tests/e2e/test_usedby_h750b.sh \
	tests/e2e/test_usedby_l476g.sh

TESTS += $(USEDBY_TESTS)
EXTRA_DIST += $(USEDBY_TESTS) tests/e2e/usedby-lib.sh tests/e2e/usedby-board-lib.sh \
	tests/e2e/gdb/xip.c tests/e2e/gdb/xip.ld tests/e2e/usedby_tclrpc.tcl
