# SPDX-License-Identifier: GPL-2.0-or-later
#
# The spiram_loader target stub, for src/flash/nor/spiram_loader.c.
#
#   make [CROSS_COMPILE=arm-none-eabi-] [HOST_CC=cc]
#
# regenerates spiram_stub.inc: one position-independent image per
# controller backend (QUADSPI, SPI, GPIO), back to back, built with
# newlib-nano.  build.sh builds and checks the images (no absolute address,
# worst-case stack within the header's budget, minimum working area) and
# runs spiram_stub_gen, a host tool that fills in the header CRCs and
# writes the include.  The stub shares spiram_contract.h and spiram_crc.c
# with the driver in src/flash/nor; build.sh names its sources relative to
# a tree holding stub/ and src/flash/nor/, which build/tree provides with
# two symbolic links, so the output carries no path and is reproducible.

CROSS_COMPILE ?= arm-none-eabi-
HOST_CC ?= cc
NOR = ../../../../src/flash/nor
BUILD = build

all: spiram_stub.inc

spiram_stub.inc: $(wildcard *.c *.h *.S *.ld *.sh) $(NOR)/spiram_contract.h $(NOR)/spiram_crc.c $(NOR)/spiram_crc.h
	rm -rf $(BUILD)
	mkdir -p $(BUILD)/tree/src/flash
	ln -s $(CURDIR) $(BUILD)/tree/stub
	ln -s $(abspath $(NOR)) $(BUILD)/tree/src/flash/nor
	ARM_CC=$(CROSS_COMPILE)gcc ARM_OBJCOPY=$(CROSS_COMPILE)objcopy HOST_CC=$(HOST_CC) \
		sh build.sh $(BUILD)/tree $(CURDIR)/$(BUILD)/out
	cp $(BUILD)/out/spiram_stub.inc $@

clean:
	rm -rf $(BUILD)

.PHONY: all clean
