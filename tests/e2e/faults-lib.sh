# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers of the fault-matrix and driver-level tests (test_fault_*.sh,
# test_driver_*.sh), on top of lib.sh.  Each case runs openocd as a user
# would and judges it by what the simulator saw: the image file, the
# sectors it erased or programmed, and the controller's mode afterwards.
#
# Conventions: F_IMG is the pristine image every fresh simulator starts
# from (a copy goes to E2E_DIR/flash.img); sector lists are the 4 KiB
# sector offsets as lib.sh's e2e_touched_sectors prints them (0x%06x).

. "$(dirname "$0")/lib.sh"

# f_ocd CFG LOG COMMANDS...: openocd with the servers off (tests run in
# parallel), as a user would type it; returns openocd's exit status.
f_ocd() {
	f_cfg=$1; f_log=$2; shift 2
	e2e_openocd "$f_cfg" "$f_log" "$@"
}

# f_fresh BOARD [sim args...]: a fresh simulator on a copy of F_IMG.
f_fresh() {
	f_board=$1; shift
	cp "$F_IMG" "$E2E_DIR/flash.img"
	e2e_start_sim "$f_board" "$E2E_DIR/flash.img" "$@"
}

# f_sectors OFFSET LEN: the 4 KiB sectors [OFFSET, OFFSET + LEN) covers.
f_sectors() {
	s=$(($1 / 4096 * 4096))
	while [ "$s" -lt $(($1 + $2)) ]; do
		printf '0x%06x\n' "$s"
		s=$((s + 4096))
	done
}

# f_touched_only DESC EXPECTED: the simulator's touched sectors are
# exactly EXPECTED (a newline-separated list, empty for none).
f_touched_only() {
	got=$(e2e_touched_sectors | tr '\n' ' ')
	want=$(printf '%s\n' "$2" | sed '/^$/d' | sort -u | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		e2e_pass "$1: sectors erased/programmed: ${want:-none}"
	else
		e2e_fail "$1: sectors erased/programmed: got '${got:-none}', expected '${want:-none}'"
	fi
}

# f_failed DESC RC LOG PATTERN...: non-zero exit and every pattern
# (grep -E) in the log.
f_failed() {
	ff_desc=$1; ff_rc=$2; ff_log=$3; shift 3
	e2e_check "$ff_desc: openocd exits non-zero (got $ff_rc)" test "$ff_rc" -ne 0
	for ff_pat in "$@"; do
		e2e_check "$ff_desc: says '$ff_pat'" grep -Eq -- "$ff_pat" "$ff_log"
	done
}

# f_mapped DESC CFG WORD: a new session (no reset) reads WORD at
# 0x90000000: QUADSPI is still memory-mapped after what happened before.
f_mapped() {
	fm_log=$E2E_DIR/mapped.$E2E_PASSES.$E2E_FAILS.log
	f_ocd "$2" "$fm_log" init "mdw 0x90000000" shutdown
	e2e_check "$1: QUADSPI still memory-mapped (0x90000000 reads $3)" grep -q "^0x90000000: $3" "$fm_log"
}

# f_word FILE OFFSET: the little-endian word at OFFSET of FILE, as mdw prints it.
f_word() {
	od -An -tx4 -j "$2" -N4 "$1" | tr -d ' '
}

# f_expect_write BASE_IMG OUT OFFSET DATA_FILE ERASE_FROM ERASE_LEN:
# what the image must hold after `write_image erase`: the erased
# sectors 0xFF, then DATA_FILE at OFFSET.
f_expect_write() {
	cp "$1" "$2"
	python3 - "$2" "$3" "$4" "$5" "$6" <<'PY'
import sys
path, off, data, efrom, elen = sys.argv[1], int(sys.argv[2], 0), sys.argv[3], int(sys.argv[4], 0), int(sys.argv[5], 0)
img = bytearray(open(path, 'rb').read())
img[efrom:efrom + elen] = b'\xff' * elen
d = open(data, 'rb').read()
img[off:off + len(d)] = d
open(path, 'wb').write(img)
PY
}

# f_image_is DESC EXPECTED: the simulator's image equals EXPECTED.  The
# simulator writes the image through as it goes; stop it first.
f_image_is() {
	e2e_check "$1: image file as expected" cmp -s "$E2E_DIR/flash.img" "$2"
}
