"""Byte-level mutants of real captures, and bench/gen.c's realistic mixes.

    mutant_capture(rng, sources) -> (bytes, suffix, description)
    gen_capture(rng, gen_binary, path) -> description   (writes path)
    build_gen(cc, bench, binary)                        (compiles bench/gen*.c)

A mutant takes a window of records (up to 100) of one capture of data/
(pcap or pcapng) and changes it a few times: bytes of a record (random,
flipped, or values the header walk branches on), bytes inserted or
deleted, records cut short (captured length below the original length),
odd length fields (original length 0, below the captured length, huge),
records duplicated, dropped or swapped, time stamps set to odd values
(zero, the ends of their range, sub-second fields of a second or more,
backwards), the file cut in the middle of a record, and the file header
(snap length, link type, version, time stamp precision).  pcapng files
get the same inside their packet blocks, and changed interface blocks and
block lengths.

Everything is drawn from the `random.Random` passed in.
"""
import glob
import os
import struct
import subprocess

from difftest_pcap import PCAPNG_EPB, PCAPNG_IDB, Unit

INTERESTING = (0x00, 0xff, 0x7f, 0x80, 0x01, 0x02, 0x03, 0x04, 0x06, 0x08, 0x11, 0x29, 0x2c,
               0x2f, 0x32, 0x3a, 0x45, 0x46, 0x4f, 0x60, 0x81, 0x86, 0x88, 0xaa, 0xdd, 0xfe, 0x12,
               0x65, 0x58, 0x47, 0x64, 0x63, 0x0f)
LINKTYPES = (0, 1, 9, 50, 99, 101, 104, 105, 107, 113, 119, 127, 137, 167, 178, 192, 204, 205,
             206, 228, 229, 274, 276, 147, 12, 14)


def _pos(rng, n):
    """A position in a record of n bytes, mostly among its headers."""
    if n <= 0:
        return 0
    if rng.random() < 0.75:
        return rng.randrange(min(n, 80))
    return rng.randrange(n)


def mutate_packet(rng, pkt):
    """The captured bytes `pkt`, changed once."""
    b = bytearray(pkt)
    r = rng.random()
    if r < 0.55 and b:
        for _ in range(rng.choice((1, 1, 1, 2, 4))):
            i = _pos(rng, len(b))
            rr = rng.random()
            if rr < 0.4:
                b[i] = rng.choice(INTERESTING)
            elif rr < 0.7:
                b[i] ^= 1 << rng.randrange(8)
            else:
                b[i] = rng.getrandbits(8)
    elif r < 0.7 and len(b) >= 2:                    # a 16-bit field
        i = _pos(rng, len(b) - 1)
        v = rng.choice((0, 0xffff, 0x8000, 0x7fff, 1, len(b), len(b) + 1, 0x0800, 0x86dd,
                        0x8100, 0x8847, 0x6558, 1500, 1501))
        b[i:i + 2] = struct.pack("!H", v)
    elif r < 0.85:                                   # insert bytes
        i = _pos(rng, len(b) + 1)
        b[i:i] = bytes(rng.getrandbits(8) for _ in range(rng.choice((1, 2, 4, 8))))
    elif b:                                          # delete bytes
        i = _pos(rng, len(b))
        del b[i:i + rng.choice((1, 2, 4, 8, 20))]
    return bytes(b)


def _rec_fields(u):
    return list(struct.unpack(u.endian + "IIII", u.data[:16]))


def _rec_with_fields(u, fields):
    return Unit("rec", struct.pack(u.endian + "IIII", *(f & 0xffffffff for f in fields))
                + u.data[16:], u.endian)


def _odd_time(rng, fields, prev, nano):
    r = rng.random()
    if r < 0.2:
        fields[0] = rng.choice((0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1))
    elif r < 0.45:
        fields[1] = rng.choice((10 ** 6, 10 ** 9 - 1, 10 ** 9, 2 ** 31, 2 ** 32 - 1, 999999))
    elif r < 0.7 and prev is not None:
        fields[0], fields[1] = prev[0], prev[1]
    elif prev is not None:
        fields[0] = max(0, prev[0] - rng.choice((1, 60, 200, 86400)))
    else:
        fields[0] += rng.choice((183, 200, 3600))
    return fields


def _mutate_pcap(rng, cap):
    head = bytearray(cap.head)
    e = cap.units[0].endian if cap.units else "<"
    units = [u for u in cap.units if u.kind == "rec"]
    if len(units) > 1:
        n = rng.choice((1, 2, 3, 5, 10, 20, 40, 100))
        start = rng.randrange(max(1, len(units) - n + 1))
        units = units[start:start + n]
    nano = struct.unpack(e + "I", head[:4])[0] == 0xa1b23c4d
    cut_tail = None
    what = []
    for _ in range(rng.choice((1, 1, 2, 3, 4, 6))):
        r = rng.random()
        if not units:
            r = 0.99
        if r < 0.45:
            i = rng.randrange(len(units))
            units[i] = units[i].with_packet(mutate_packet(rng, units[i].packet()))
            what.append("bytes")
        elif r < 0.55:                               # cut short: captured < original
            i = rng.randrange(len(units))
            u = units[i]
            f = _rec_fields(u)
            pkt = u.packet()
            k = rng.randint(0, len(pkt))
            f[2] = k
            units[i] = Unit("rec", struct.pack(e + "IIII", *f) + pkt[:k], e)
            what.append("cut record")
        elif r < 0.65:                               # odd lengths
            i = rng.randrange(len(units))
            f = _rec_fields(units[i])
            f[3] = rng.choice((0, max(0, f[2] - 1), 65535, 65536, 2 ** 31, 2 ** 32 - 1,
                               f[3] + rng.randint(1, 3000), 1))
            units[i] = _rec_with_fields(units[i], f)
            what.append("wire length")
        elif r < 0.75:                               # counts: duplicate, drop, swap
            rr = rng.random()
            i = rng.randrange(len(units))
            if rr < 0.4:
                units.insert(i, units[i])
            elif rr < 0.7 and len(units) > 1:
                del units[i]
            else:
                j = rng.randrange(len(units))
                units[i], units[j] = units[j], units[i]
            what.append("records")
        elif r < 0.87:                               # time stamps
            i = rng.randrange(len(units))
            prev = _rec_fields(units[i - 1]) if i else None
            units[i] = _rec_with_fields(units[i], _odd_time(rng, _rec_fields(units[i]), prev, nano))
            what.append("time")
        elif r < 0.92:
            cut_tail = rng.randint(1, 40)
            what.append("truncated file")
        else:                                        # the file header
            rr = rng.random()
            if rr < 0.35:
                struct.pack_into(e + "I", head, 16, rng.choice((0, 1, 14, 54, 60, 64, 96, 65535,
                                                                262144, 262145, 2 ** 31, 2 ** 32 - 1)))
                what.append("snaplen")
            elif rr < 0.7:
                struct.pack_into(e + "I", head, 20, rng.choice(LINKTYPES))
                what.append("link type")
            elif rr < 0.85:
                struct.pack_into(e + "HH", head, 4, *rng.choice(((2, 3), (1, 0), (3, 0), (2, 5))))
                what.append("version")
            else:
                magic = struct.unpack(e + "I", head[:4])[0]
                struct.pack_into(e + "I", head, 0, 0xa1b2c3d4 if magic == 0xa1b23c4d else 0xa1b23c4d)
                what.append("precision")
    data = bytes(head) + b"".join(u.data for u in units)
    if cut_tail and len(data) > 24:
        data = data[:max(24, len(data) - cut_tail)]
    return data, what


def _mutate_pcapng(rng, cap):
    units = list(cap.units)
    pkts = [i for i, u in enumerate(units) if u.is_packet]
    if len(pkts) > 1:
        n = rng.choice((1, 2, 3, 5, 10, 20, 40, 100))
        start = rng.randrange(max(1, len(pkts) - n + 1))
        keep = set(pkts[start:start + n])
        units = [u for i, u in enumerate(units) if i in keep or not u.is_packet]
    cut_tail = None
    what = []
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        pk = [i for i, u in enumerate(units) if u.block_type == PCAPNG_EPB]
        idbs = [i for i, u in enumerate(units) if u.block_type == PCAPNG_IDB]
        r = rng.random()
        if r < 0.5 and pk:
            i = rng.choice(pk)
            p = units[i].packet()
            if p is not None:
                units[i] = units[i].with_packet(mutate_packet(rng, p))
                what.append("bytes")
        elif r < 0.6 and pk:                         # captured length below the original
            i = rng.choice(pk)
            p = units[i].packet()
            if p is not None:
                orig = struct.unpack(units[i].endian + "I", units[i].data[24:28])[0]
                u = units[i].with_packet(p[:rng.randint(0, len(p))])
                d = bytearray(u.data)
                struct.pack_into(u.endian + "I", d, 24, orig)
                units[i] = Unit("block", bytes(d), u.endian)
                what.append("cut record")
        elif r < 0.7 and pk:                         # time stamps
            i = rng.choice(pk)
            d = bytearray(units[i].data)
            e = units[i].endian
            struct.pack_into(e + "II", d, 12, rng.choice((0, 2 ** 32 - 1, 0x80000000, 1)),
                             rng.getrandbits(32))
            units[i] = Unit("block", bytes(d), e)
            what.append("time")
        elif r < 0.8 and idbs:                       # an interface: link type, snap length
            i = rng.choice(idbs)
            d = bytearray(units[i].data)
            e = units[i].endian
            if rng.random() < 0.6:
                struct.pack_into(e + "H", d, 8, rng.choice(LINKTYPES))
            else:
                struct.pack_into(e + "I", d, 12, rng.choice((0, 1, 64, 96, 65535, 2 ** 32 - 1)))
            units[i] = Unit("block", bytes(d), e)
            what.append("interface")
        elif r < 0.88 and units:                     # counts
            i = rng.randrange(len(units))
            if rng.random() < 0.5:
                units.insert(i, units[i])
            else:
                del units[i]
            what.append("blocks")
        elif r < 0.94 and units:                     # a block length that lies
            i = rng.randrange(len(units))
            d = bytearray(units[i].data)
            e = units[i].endian
            struct.pack_into(e + "I", d, 4, rng.choice((0, 8, 12, len(d) + 4, len(d) - 4, 2 ** 31)))
            units[i] = Unit("raw", bytes(d), e)
            what.append("block length")
        else:
            cut_tail = rng.randint(1, 40)
            what.append("truncated file")
    data = cap.head + b"".join(u.data for u in units)
    if cut_tail and len(data) > len(cap.head):
        data = data[:max(len(cap.head), len(data) - cut_tail)]
    return data, what


def mutant_capture(rng, sources):
    """sources: [(name, Capture)], the captures parsed once.  Returns
    (bytes, suffix, description)."""
    name, cap = rng.choice(sources)
    if cap.fmt == "pcapng":
        out, what = _mutate_pcapng(rng, cap)
    else:
        out, what = _mutate_pcap(rng, cap)
    return out, cap.suffix, f"mutant of {name}: " + ", ".join(what)


# ------------------------------------------------------------------ bench/gen.c

def build_gen(cc, bench, binary):
    """Compile bench/gen*.c (when the binary is missing or older than one of
    them or bench/gen.h); `bench` is the bench/ folder."""
    sources = sorted(glob.glob(os.path.join(bench, "gen*.c")))
    newest = max(os.path.getmtime(f) for f in [*sources, os.path.join(bench, "gen.h")])
    if os.path.exists(binary) and os.path.getmtime(binary) >= newest:
        return
    os.makedirs(os.path.dirname(binary) or ".", exist_ok=True)
    tmp = f"{binary}.tmp{os.getpid()}"
    subprocess.run([cc, "-std=c99", "-O2", "-o", tmp, *sources, "-lm"], check=True,
                   stdin=subprocess.DEVNULL)
    os.replace(tmp, binary)


def gen_capture(rng, gen_binary, path):
    """Run bench/gen.c with options drawn from rng; returns a description."""
    duration = rng.choice((5, 20, 60, 200, 600, 1800))
    packets = rng.randint(100, 5000)
    max_packets = rng.choice((20, 50, 100, 200, 400, 800))
    seed = rng.getrandbits(32)
    epoch = rng.choice((1700000000, rng.randint(0, 2 ** 31 - 4000), 2 ** 32 - 4000))
    cmd = [gen_binary, "-o", str(path), "--duration", str(duration), "--packets", str(packets),
           "--max-packets", str(max_packets), "--seed", str(seed), "--epoch", str(epoch)]
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    try:
        os.unlink(f"{path}.info")
    except OSError:
        pass
    return (f"bench/gen.c --duration {duration} --packets {packets} --max-packets "
            f"{max_packets} --seed {seed} --epoch {epoch}")
