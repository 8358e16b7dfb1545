# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared helpers for the end-to-end tests: start a simulated board, run the
# real OpenOCD against it, and compare what happened with the simulator's
# ground truth (its flash image file and its counters).
#
# Each test sources this file.  Environment (set by `make check`):
#   OPENOCD, OPENOCD_SCRIPTS, SPIRAM_TCL, SPIRAM_SIM, GDB_MULTIARCH, TCLSH
# A test that lacks a tool exits 77 (automake's "skipped").

set -u

E2E_NAME=$(basename "$0" .sh)
E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/spiram-$E2E_NAME.XXXXXX")
E2E_SIM_PID=
E2E_FAILS=0
E2E_PASSES=0

e2e_cleanup() {
	if [ -n "$E2E_SIM_PID" ]; then
		kill "$E2E_SIM_PID" 2>/dev/null
		wait "$E2E_SIM_PID" 2>/dev/null
	fi
	if [ "$E2E_FAILS" -eq 0 ] && [ -z "${E2E_KEEP:-}" ]; then
		rm -rf "$E2E_DIR"
	else
		echo "e2e: files kept in $E2E_DIR"
	fi
}
trap e2e_cleanup EXIT

e2e_skip() { echo "SKIP: $*"; exit 77; }
e2e_need() {
	for v in "$@"; do
		eval "p=\${$v:-}"
		[ -n "$p" ] && [ -x "$p" ] || e2e_skip "$v not available"
	done
}

e2e_pass() { E2E_PASSES=$((E2E_PASSES + 1)); echo "ok   - $*"; }
e2e_fail() { E2E_FAILS=$((E2E_FAILS + 1)); echo "FAIL - $*"; }
e2e_check() {	# e2e_check "description" command...
	d=$1; shift
	if "$@"; then e2e_pass "$d"; else e2e_fail "$d"; fi
}
e2e_done() {
	echo "$E2E_PASSES passed, $E2E_FAILS failed"
	[ "$E2E_FAILS" -eq 0 ]
	exit $?
}

# A free TCP port on 127.0.0.1 (probed, not guessed blindly).
e2e_free_port() {
	p=$(( 19600 + ($$ * 7 + ${1:-0} * 101) % 400 ))
	while nc -z 127.0.0.1 "$p" 2>/dev/null || nc -z 127.0.0.1 $((p + 1)) 2>/dev/null; do
		p=$((p + 2))
	done
	echo "$p"
}

# e2e_start_sim BOARD IMAGE [spiram-sim args...]: sets E2E_PORT, E2E_STATS
e2e_start_sim() {
	board=$1; image=$2; shift 2
	e2e_stop_sim
	E2E_STATS=$E2E_DIR/sim-stats.txt
	# The kernel picks a free port (--port 0) and the simulator says which:
	# no race with other simulators starting at the same time.
	"$SPIRAM_SIM" --board "$board" --image "$image" --port 0 --stats "$E2E_STATS" "$@" \
		>"$E2E_DIR/sim.log" 2>&1 &
	E2E_SIM_PID=$!
	i=0
	E2E_PORT=
	while [ -z "$E2E_PORT" ] || ! nc -z 127.0.0.1 "$E2E_PORT" 2>/dev/null; do
		E2E_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$E2E_DIR/sim.log" | head -n 1)
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$E2E_SIM_PID" 2>/dev/null; then
			echo "spiram-sim did not start:"; cat "$E2E_DIR/sim.log"
			E2E_SIM_PID=
			return 1
		fi
		sleep 0.05
	done
}

e2e_stop_sim() {
	if [ -n "$E2E_SIM_PID" ]; then
		kill "$E2E_SIM_PID" 2>/dev/null
		wait "$E2E_SIM_PID" 2>/dev/null
		E2E_SIM_PID=
	fi
}

# Refresh the simulator's counters file and print one counter (0 if absent).
e2e_stat() {
	kill -USR1 "$E2E_SIM_PID" 2>/dev/null && sleep 0.2
	v=$(sed -n "s/^$1=//p" "$E2E_STATS" 2>/dev/null | tail -n 1)
	echo "${v:-0}"
}

# Sectors (4 KiB) the simulator says were erased or programmed, one per line.
e2e_touched_sectors() {
	kill -USR1 "$E2E_SIM_PID" 2>/dev/null && sleep 0.2
	sed -n 's/^sector\.\(0x[0-9a-fA-F]*\)\.\(erases\|programs\)=[1-9].*/\1/p' "$E2E_STATS" | sort -u
}

# e2e_openocd BOARD_CFG LOG COMMANDS...: runs openocd as a user would.
# Each COMMAND becomes one -c, passed as is.
e2e_openocd() {
	cfg=$1; log=$2; shift 2
	# No GDB/telnet/Tcl servers: tests running side by side must not
	# fight over 3333/4444/6666.  spiram-compat.tcl spells the port
	# commands as this OpenOCD wants them.
	e2e_args=(-s "$SPIRAM_TCL" -s "$OPENOCD_SCRIPTS" -c "set VDEBUGPORT $E2E_PORT"
		-f spiram/spiram-compat.tcl -c "spiram_server_port gdb disabled"
		-c "spiram_server_port telnet disabled" -c "spiram_server_port tcl disabled"
		-f "$cfg")
	for c in "$@"; do
		e2e_args+=(-c "$c")
	done
	"$OPENOCD" "${e2e_args[@]}" >"$log" 2>&1
}

# A file of N random bytes (kept with the test's files on failure).
e2e_random_file() {
	head -c "$2" /dev/urandom >"$1"
}

# e2e_cmp_range FILE1 OFF1 FILE2 OFF2 LEN: the two ranges exist in full
# and are byte-equal (numbers may be hex or expressions; a short or
# missing file, or a length head cannot take, fails).
e2e_cmp_range() {
	ecr_o1=$(($2)); ecr_o2=$(($4)); ecr_n=$(($5))
	ecr_s1=$(stat -c %s "$1" 2>/dev/null || echo -1)
	ecr_s2=$(stat -c %s "$3" 2>/dev/null || echo -1)
	[ "$ecr_s1" -ge $((ecr_o1 + ecr_n)) ] && [ "$ecr_s2" -ge $((ecr_o2 + ecr_n)) ] || return 1
	cmp -s <(tail -c +$((ecr_o1 + 1)) "$1" | head -c "$ecr_n") <(tail -c +$((ecr_o2 + 1)) "$3" | head -c "$ecr_n")
}
