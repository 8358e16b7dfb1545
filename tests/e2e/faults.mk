# Automake fragment, included from tests/e2e/e2e.mk.
# The bad-input and fault matrix, and the driver-level tests of every
# operation on every simulated board.

EXTRA_DIST += tests/e2e/faults-lib.sh
TESTS += tests/e2e/test_fault_input.sh
EXTRA_DIST += tests/e2e/test_fault_input.sh
TESTS += tests/e2e/test_fault_chip.sh
EXTRA_DIST += tests/e2e/test_fault_chip.sh
TESTS += tests/e2e/test_fault_write.sh
EXTRA_DIST += tests/e2e/test_fault_write.sh
TESTS += tests/e2e/test_driver_ops.sh
EXTRA_DIST += tests/e2e/test_driver_ops.sh
# A QUADSPI in dual-flash mode is refused before anything reaches the chips.
TESTS += tests/e2e/test_fault_dualflash.sh
EXTRA_DIST += tests/e2e/test_fault_dualflash.sh
