# Automake fragment, included from tests/e2e/e2e.mk.
# The bad-input and fault matrix, and the driver-level tests of every
# operation on every simulated board.

EXTRA_DIST += tests/e2e/faults-lib.sh
TESTS += tests/e2e/test_fault_input.sh
EXTRA_DIST += tests/e2e/test_fault_input.sh
# The Tcl guard's sections of a plain binary, without test_image, against
# OpenOCD's test_image for binaries and the other image types.
TESTS += tests/e2e/test_image_sections.sh
EXTRA_DIST += tests/e2e/test_image_sections.sh
TESTS += tests/e2e/test_fault_chip.sh
EXTRA_DIST += tests/e2e/test_fault_chip.sh
TESTS += tests/e2e/test_fault_write.sh
EXTRA_DIST += tests/e2e/test_fault_write.sh
TESTS += tests/e2e/test_driver_ops.sh
EXTRA_DIST += tests/e2e/test_driver_ops.sh
# A QUADSPI in dual-flash mode is refused before anything reaches the chips.
TESTS += tests/e2e/test_fault_dualflash.sh
EXTRA_DIST += tests/e2e/test_fault_dualflash.sh
