# Automake fragment, included from tests/e2e/e2e.mk.
# The bad-input and fault matrix.
