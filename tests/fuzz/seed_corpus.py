#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed inputs for the fuzz harnesses of tests/fuzz into OUTDIR/<harness>/.

Seeds are the real SFDP dumps of tests/data/sfdp and typical arguments, in
each harness's input layout (see the comment at the top of each
tests/fuzz/fuzz_<harness>.c).  The checked-in corpora were made by running
this, then minimising with libFuzzer (-merge=1) together with what the
fuzzers found.

Usage: tests/fuzz/seed_corpus.py SRCDIR OUTDIR
"""
import glob
import os
import struct
import sys


def load_dumps(srcdir):
    dumps = {}
    for path in sorted(glob.glob(os.path.join(srcdir, "tests/data/sfdp/*.hex"))):
        text = open(path).read()
        digits = "".join(c for c in text if c in "0123456789abcdefABCDEF")
        dumps[os.path.basename(path)[:-4]] = bytes.fromhex(digits)
    return dumps


def write(outdir, harness, name, data):
    d = os.path.join(outdir, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def u64(v):
    return struct.pack("<Q", v)


def main():
    srcdir, outdir = sys.argv[1], sys.argv[2]
    dumps = load_dumps(srcdir)

    # sfdp: the dumps as they are
    for name, data in dumps.items():
        write(outdir, "sfdp", name, data)

    # chips: selector, ID, user override block, SFDP
    ids = {"w25q128jv": b"\xef\x40\x18", "w25q128fv": b"\xef\x40\x18", "w25q256fv_qemu": b"\xef\x40\x19",
           "w25q512jv_qemu": b"\xef\x40\x20", "mx25l25635f_qemu": b"\xc2\x20\x19",
           "mx25l25645g_c22019": b"\xc2\x20\x19", "macronix_c22018_sfdp16": b"\xc2\x20\x18",
           "is25wp256_qemu": b"\x9d\x70\x19"}
    no_user = u32(0) + u32(0) * 2 + b"\x80\x00\x00" * 4 + b"\x00" * 6
    set_user = (u32(1 | 2 | 4 | 8 | (1 << 8)) + u32(24) + u32(8) + b"\x0c\x20\x21" + b"\x10\xd8\xdc" +
                b"\x80\x00\x00" * 2 + b"\xeb\x06\x04" + b"\x02\xc7\x01")
    for name, data in dumps.items():
        idb = ids.get(name, b"\xef\x40\x18")
        write(outdir, "chips", name, b"\x02" + idb + no_user + data)
        write(outdir, "chips", name + "-user", b"\x06" + idb + set_user + data)
    write(outdir, "chips", "no-sfdp-table", b"\x01\x00\x00\x00" + no_user)
    write(outdir, "chips", "unknown-user", b"\x04\x12\x34\x56" + set_user)

    # stream: round trips and a built stream to decode
    data = bytes(range(256)) * 2
    write(outdir, "stream", "round-trip", b"\x00\x02" + u32(0x10000) + u32(0x10000) + u32(0x20000) +
          u32(0x1000) + u32(0xff0) + b"\x01" + data)
    write(outdir, "stream", "round-trip-4g", b"\x00\x00" + u32(0xfffff000) + b"\x00" + data)
    frames = (u32(0x45) + u32(0x1000) + u32(0x1000) + u32(0x50) + u32(0x2000) + u32(5) + b"hello\xff\xff\xff" +
              u32(0x454E4421) + u32(0) + u32(0))
    write(outdir, "stream", "decode", b"\x01" + frames)

    # args: selector byte (0 number, 1 pin, 2 bank line, 3 set), then words
    def words(*w):
        return b"\x00".join(x.encode() for x in w)
    for i, n in enumerate(["16M", "0x90000000", "4096", "64k", "0xffffffff", "4095M", "17592186044416M"]):
        write(outdir, "args", "number-%d" % i, b"\x00" + words(n))
    write(outdir, "args", "pin-port", b"\x01" + words("PA4"))
    write(outdir, "args", "pin-h7", b"\x05" + words("PK15"))
    write(outdir, "args", "pin-explicit", b"\x01" + words("0x40010810:0x40010814:0x40010808:4"))
    write(outdir, "args", "pin-bsrr", b"\x01" + words("0x58020018:0x58020018:0x58020010:6:16"))
    write(outdir, "args", "bank-qspi", b"\x02" + words("stm32_qspi", "0x52005000", "-quad", "-4byte",
                                                       "-workarea-size", "0x10000", "-mmap", "0x90000000",
                                                       "-prescaler", "4", "-chip", "W25Q128JV"))
    write(outdir, "args", "bank-spi", b"\x02" + words("stm32_spi", "0x40013000", "PA4", "-single", "-prescaler",
                                                      "8"))
    write(outdir, "args", "bank-gpio", b"\x02" + words("gpio", "cs=PA4", "clk=PA5", "mosi=PA7", "miso=PA6",
                                                       "io2=PA2", "io3=PA3", "-gpio-style",
                                                       "custom:0x40010800,0x400,0x10,0x14,0x8", "-dual"))
    write(outdir, "args", "set", b"\x03" + words("size", "16M", "page", "256", "erase",
                                                 "4096:0x20,32k:0x52,64k:0xd8:0xdc", "read", "0xeb", "6",
                                                 "1-4-4", "program", "0x02", "chip_erase", "0x60", "addr", "b7",
                                                 "qe", "sr1-6", "read_width", "quad"))
    write(outdir, "args", "set-overflow", b"\x03" + words("size", "17592186044417M"))

    # erase: W25Q128JV map, then chip size, range and default time
    jv = b"\x0c\x20\x01" + u32(400000) + b"\x0f\x52\x01" + u32(1600000) + b"\x10\xd8\x01" + u32(2000000) + b"\x80\x00\x00"
    write(outdir, "erase", "jv-mixed", jv + b"\x18" + u32(0x7000) + u32(0x2A000) + u32(0))
    write(outdir, "erase", "jv-whole", jv + b"\x18" + u32(0) + u32(0x1000000) + u32(10))
    write(outdir, "erase", "jv-unaligned", jv + b"\x18" + u32(0x800) + u32(0x1000) + u32(0))

    # regressions: inputs that broke an invariant before the fix
    write(outdir, "chips", "regress-qe-user-read", b"\x04\xef\x40\x18" + u32(8) + u32(0) + u32(0) +
          b"\x80\x00\x00" * 4 + b"\x0b\x08\x00" + b"\x02\xc7\x00")
    write(outdir, "chips", "regress-3byte-big-erase", b"\x04\xc2\x20\x19" + u32(4 | (1 << 10)) + u32(0) + u32(0) +
          b"\x0c\x20\x21" + b"\x19\xc7\x00" + b"\x80\x00\x00" * 2 + b"\x0b\x08\x00" + b"\x02\xc7\x00")
    jv = bytearray(dumps["w25q128jv"])
    jv[0x88] = 0xFF     # 1-4-4: 7 mode clocks + 31 wait states
    write(outdir, "chips", "regress-dummy-38", b"\x02\xef\x40\x18" + no_user + bytes(jv))
    write(outdir, "args", "regress-style-unaligned", b"\x02" + words(
        "gpio", "cs=PA4", "clk=PA5", "mosi=PA7", "miso=PA6", "-gpio-style", "custom:0x40010801,0x400,0x10,0x14,0x8"))
    write(outdir, "stream", "regress-wrap-4g", b"\x00\x00" + u32(0xffffff00) + b"\x00" + data)
    major68 = bytearray(dumps["w25q128jv"])
    major68[6] = 1
    major68[0x10:0x18] = bytes([0x00, 0x00, 68, 255, 0x00, 0xF0, 0x00, 0xFF])
    write(outdir, "sfdp", "regress-bfpt-major-68", bytes(major68))

    # protect: scheme, size selector, SR1..SR3, range selector, start, end, sector offset
    for scheme in range(1, 5):
        write(outdir, "protect", "scheme%d-top" % scheme, bytes([scheme, 24, 0x0c, 0, 0, 0x01]) +
              u64(15 * 1024 * 1024 // 65536) + u64(256) + u64(0))
        write(outdir, "protect", "scheme%d-bottom-cmp" % scheme, bytes([scheme, 25, 0x24, 0x40, 0, 0x03]) +
              u64(0) + u64(4) + u64(0x10000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
