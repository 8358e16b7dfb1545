# SPDX-License-Identifier: GPL-2.0-or-later
#
# The target stub.  It is built with arm-none-eabi-gcc by stub/build.sh
# (not by automake: it is cross code) into the checked-in, generated
# src/flash/nor/spiram_stub.inc; tests/stub/check_inc.sh checks in
# `make check` that the checked-in copy matches the sources.  Rebuild it:
#   make stub-inc

STUB_SOURCES = stub/spiram_stub.h stub/stub_entry.S stub/stub_main.c stub/stub_nor.c stub/stub_scan.c stub/stub_lz.c \
	stub/stub_lz_expand.c stub/stub_lz_expand.h \
	stub/stub_serial.c stub/stub_xspi.c stub/backend_qspi.c stub/backend_ospi.c stub/backend_spi.c stub/backend_gpio.c \
	stub/stub.ld stub/build.sh stub/spiram_stub_gen.c

EXTRA_DIST += $(STUB_SOURCES) src/flash/nor/spiram_stub.inc

stub-inc:
	sh $(srcdir)/stub/build.sh $(abs_srcdir) $(abs_builddir)/stub-build
	cp $(abs_builddir)/stub-build/spiram_stub.inc $(srcdir)/src/flash/nor/spiram_stub.inc

.PHONY: stub-inc
