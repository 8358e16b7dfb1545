# SPDX-License-Identifier: GPL-2.0-or-later
#
# `make check-sanitize`: the unit, simulator and stub tests built with clang
# and AddressSanitizer + UndefinedBehaviorSanitizer (-fno-sanitize-recover)
# in their own tree, sanitize-build/, then end-to-end scripts run by the
# real OpenOCD against the sanitized spiram-sim.  See contrib/sanitize/run.sh.

SANITIZE_E2E_TESTS = tests/e2e/test_driver_ops.sh

check-sanitize: openocd
	$(AM_V_at)OPENOCD='$(abs_builddir)/$(OPENOCD_BIN)' OPENOCD_SCRIPTS='$(abs_builddir)/$(OPENOCD_TREE)/tcl' \
		SPIRAM_TCL='$(abs_srcdir)/tcl' TCLSH='$(TCLSH)' GDB_MULTIARCH='$(GDB_MULTIARCH)' \
		ARM_CC='$(ARM_CC)' ARM_OBJCOPY='$(ARM_OBJCOPY)' \
		sh $(srcdir)/contrib/sanitize/run.sh $(srcdir) $(abs_builddir)/sanitize-build $(SANITIZE_E2E_TESTS)

.PHONY: check-sanitize
