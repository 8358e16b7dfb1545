# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers of the used-by checks (tests/e2e/test_usedby_*.sh), on top of
# lib.sh (sourced first by each test).
#
#  - ub_openocd: run openocd as a user would, but with its GDB, telnet and
#    Tcl servers disabled (or on the free ports the test chose), so that
#    tests running side by side never fight over 3333/4444/6666;
#  - ub_free_port: a free TCP port for a server the test does use;
#  - ub_image_diff: the 4 KiB sectors in which two image files differ;
#  - ub_expect_only_changed: the image differs from the copy taken before
#    an operation exactly in a given byte range, which holds a given file.
#
# Invariant: every helper leaves the simulator running (lib.sh's trap
# stops it at exit); none writes outside $E2E_DIR.

# ub_free_port N: a free port in 19200-19399 (probed), distinct per N.
ub_free_port() {
	p=$((19200 + ($$ * 13 + ${1:-0} * 37) % 200))
	tries=0
	while nc -z 127.0.0.1 "$p" 2>/dev/null; do
		p=$((19200 + (p - 19200 + 1) % 200))
		tries=$((tries + 1))
		[ $tries -lt 200 ] || { echo "no free port in 19200-19399" >&2; return 1; }
	done
	echo "$p"
}

# Ports for openocd's servers; "disabled" unless a test sets them.
UB_GDB_PORT=disabled
UB_TELNET_PORT=disabled
UB_TCL_PORT=disabled

# ub_openocd BOARD_CFG LOG COMMAND...: one openocd run against the
# simulator started by e2e_start_sim; each COMMAND becomes one -c.
ub_openocd() {
	ub_cfg=$1; ub_log=$2; shift 2
	ub_args=(-s "$SPIRAM_TCL" -s "$OPENOCD_SCRIPTS"
		-c "set VDEBUGPORT $E2E_PORT" -f spiram/spiram-compat.tcl
		-c "spiram_server_port gdb $UB_GDB_PORT" -c "spiram_server_port telnet $UB_TELNET_PORT"
		-c "spiram_server_port tcl $UB_TCL_PORT"
		-f "$ub_cfg")
	for c in "$@"; do
		ub_args+=(-c "$c")
	done
	"$OPENOCD" "${ub_args[@]}" >"$ub_log" 2>&1
}

# ub_image_diff A B: "0x%06x" offsets of the 4 KiB sectors that differ.
ub_image_diff() {
	cmp -l "$1" "$2" 2>/dev/null | awk '{ printf "0x%06x\n", int(($1 - 1) / 4096) * 4096 }' | uniq
}

# ub_cmp_range FILE1 OFF1 FILE2 OFF2 LEN: the two ranges exist in full
# and are byte-equal (numbers may be hex; a short or missing file fails).
ub_cmp_range() {
	o1=$(($2)); o2=$(($4)); n=$(($5))
	s1=$(stat -c %s "$1" 2>/dev/null || echo -1)
	s2=$(stat -c %s "$3" 2>/dev/null || echo -1)
	[ "$s1" -ge $((o1 + n)) ] && [ "$s2" -ge $((o2 + n)) ] || return 1
	cmp -s <(tail -c +$((o1 + 1)) "$1" | head -c "$n") <(tail -c +$((o2 + 1)) "$3" | head -c "$n")
}

# ub_same_outside BEFORE AFTER OFFSET LEN: the two images are equal
# everywhere except possibly in [OFFSET, OFFSET + LEN).
ub_same_outside() {
	size=$(stat -c %s "$1")
	[ "$size" = "$(stat -c %s "$2" 2>/dev/null)" ] || return 1
	ub_cmp_range "$1" 0 "$2" 0 "$3" &&
		ub_cmp_range "$1" $(($3 + $4)) "$2" $(($3 + $4)) $((size - $3 - $4))
}

# ub_sectors_of OFFSET LEN: the 4 KiB sectors a range covers, "0x%06x".
ub_sectors_of() {
	s=$(($1 / 4096 * 4096))
	while [ "$s" -lt $(($1 + $2)) ]; do
		printf '0x%06x\n' "$s"
		s=$((s + 4096))
	done
}

# ub_fill FILE SIZE BYTE: SIZE bytes of BYTE (e.g. 255 for erased flash).
ub_fill() {
	head -c "$2" /dev/zero | tr '\0' "\\$(printf '%03o' "$3")" >"$1"
}

# ub_seconds COMMAND...: run it, set UB_SECONDS to the wall time (x.yy).
ub_seconds() {
	ub_t0=$(date +%s.%N)
	"$@"
	ub_rc=$?
	UB_SECONDS=$(awk -v a="$ub_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	return $ub_rc
}

# ub_openocd_server BOARD_CFG LOG MARK DESC COMMAND...: start openocd in the
# background as a server for a client (GDB, Tcl RPC) and wait until it
# prints MARK (give 'echo "MARK"' as the last COMMAND).  Sets UB_OCD_PID;
# openocd is stopped at exit, or by ub_stop_openocd.  On failure the test
# ends with DESC as the failed check.
ub_openocd_server() {
	ubs_cfg=$1; ubs_log=$2; ubs_mark=$3; ubs_desc=$4; shift 4
	ub_openocd "$ubs_cfg" "$ubs_log" "$@" &
	UB_OCD_PID=$!
	trap 'ub_stop_openocd; e2e_cleanup' EXIT
	ubs_i=0
	while ! grep -q "$ubs_mark" "$ubs_log" 2>/dev/null; do
		ubs_i=$((ubs_i + 1))
		if [ $ubs_i -gt 200 ] || ! kill -0 "$UB_OCD_PID" 2>/dev/null; then
			cat "$ubs_log"
			e2e_fail "$ubs_desc"
			ub_stop_openocd
			e2e_done
		fi
		sleep 0.05
	done
}

# ub_openocd runs in a subshell: stop openocd itself as well as the subshell.
ub_stop_openocd() {
	[ -n "${UB_OCD_PID:-}" ] || return 0
	pkill -TERM -P "$UB_OCD_PID" 2>/dev/null
	kill "$UB_OCD_PID" 2>/dev/null
	wait "$UB_OCD_PID" 2>/dev/null
	UB_OCD_PID=
}
