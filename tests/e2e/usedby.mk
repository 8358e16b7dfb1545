# Automake fragment, included from tests/e2e/e2e.mk.
# Used-by checks: what users run, through the real OpenOCD, GDB and Tcl RPC.
