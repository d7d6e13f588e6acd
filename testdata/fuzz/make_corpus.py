#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (docs/fuzzing.md) from the casync vectors and the
hostile probes of issue 13. Deterministic; run from the repository root:

    python3 testdata/fuzz/make_corpus.py

Needs zstd, xz, gzip and lz4 on PATH. Files the fuzzer itself adds (findings) live beside these
and are kept: this script only (re)writes the files it names.
"""
import gzip
import os
import random
import shutil
import struct
import subprocess
import zlib

ROOT = os.getcwd()
VEC = os.path.join(ROOT, "testdata/vectors")


def corpus(module, package, test_class, method):
    d = os.path.join(ROOT, module, "src/test/resources", package.replace(".", "/"), test_class + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    return d


def put(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tool(args, data):
    return subprocess.run(args, input=data, stdout=subprocess.PIPE, check=True).stdout


# ---------------------------------------------------------------- index reader
def index_corpus():
    d = corpus("chunker", "dev.jcasync.index", "IndexReaderFuzzTest", "parse")
    vectors = []
    for case in sorted(os.listdir(os.path.join(VEC, "cases"))):
        p = os.path.join(VEC, "cases", case, "index.caibx")
        if os.path.isfile(p) and os.path.getsize(p) <= 64 * 1024:
            put(d, "vector-" + case + ".caibx", read(p))
            vectors.append(read(p))
    put(d, "vector-full-default.caidx", read(os.path.join(VEC, "catar/full-default.caidx")))
    base = read(os.path.join(VEC, "cases/small-10000/index.caibx"))  # a few entries
    n = (len(base) - 104) // 40

    def u64(data, off, value):
        b = bytearray(data)
        b[off:off + 8] = struct.pack("<Q", value & (2**64 - 1))
        return bytes(b)

    probes = {
        "empty": b"",
        "one-byte": b"\x30",
        "truncated-103": base[:103],
        "truncated-mid-item": base[:-45],
        "padded-1": base + b"\0",
        "header-size-wrong": u64(base, 0, 49),
        "type-not-index": u64(base, 8, 0x1234),
        "unknown-flags": u64(base, 16, 2**63 | 2**62 | 1),
        "flags-all-ones": u64(base, 16, 2**64 - 1),
        "min-zero": u64(base, 24, 0),
        "min-gt-avg": u64(base, 24, 1 << 20),
        "max-over-limit": u64(base, 40, (128 << 20) + 1),
        "max-2e64": u64(base, 40, 2**64 - 1),
        # Valid header claiming the largest chunks: memory must not follow it (issue 13).
        "max-128MiB": u64(u64(base, 40, 128 << 20), 32, 128 << 20),
        "table-size-not-unknown": u64(base, 48, 64),
        "table-type-wrong": u64(base, 56, 0),
        "end-zero": u64(base, 64, 0),
        "end-decreasing": u64(base, 64 + 40, 1),
        "end-equal": u64(base, 64 + 40, struct.unpack_from("<Q", base, 64)[0]),
        "chunk-over-max": u64(base, 64, 262145),
        "end-2e63": u64(base, 64, 2**63),
        "end-2e64-1": u64(base, 64 + 40 * (n - 1), 2**64 - 1),
        "tail-nonzero": u64(base, 64 + 40 * n, 1),
        "tail-index-offset": u64(base, 64 + 40 * n + 16, 0),
        "tail-size-huge": u64(base, 64 + 40 * n + 24, 2**62),
        "tail-marker": u64(base, 64 + 40 * n + 32, 0),
    }
    for name, data in probes.items():
        put(d, "probe-" + name + ".caibx", data)
    # Random mutations of real indexes, as the 200 of issue 13 (a sample: bit flips, splices).
    rnd = random.Random(13)
    for i in range(40):
        b = bytearray(rnd.choice(vectors))
        for _ in range(rnd.randint(1, 4)):
            if not b:
                break
            kind = rnd.randint(0, 2)
            pos = rnd.randrange(len(b))
            if kind == 0:
                b[pos] ^= 1 << rnd.randrange(8)
            elif kind == 1:
                b[pos] = rnd.choice([0, 0xFF, 0x7F, 0x80])
            else:
                del b[pos:pos + rnd.randint(1, 48)]
        put(d, "mutated-%02d.caibx" % i, bytes(b))


# ---------------------------------------------------------------- chunk decoders
def small_chunks(case, count=2):
    files = []
    for dirpath, _, names in os.walk(os.path.join(VEC, "cases", case, "store.castr")):
        for name in names:
            p = os.path.join(dirpath, name)
            files.append((os.path.getsize(p), p))
    return [p for _, p in sorted(files)[:count]]


def xz_with_dict_props(data, props):
    """An xz stream whose LZMA2 filter claims dictionary size byte `props` (CRC32s fixed)."""
    b = bytearray(tool(["xz", "-c", "-1", "--check=crc64"], data))
    hs = 12  # stream header; then the block header
    size = (b[hs] + 1) * 4
    # Block header: size, flags, [sizes], filter flags (id 0x21, props size 1, props).
    i = b.index(b"\x21\x01", hs, hs + size)
    b[i + 2] = props
    b[hs + size - 4:hs + size] = struct.pack("<I", zlib.crc32(bytes(b[hs:hs + size - 4])))
    return bytes(b)


def codec_corpus():
    text = b"".join(b"line %d of a small chunk\n" % i for i in range(2000))
    zeros = bytes((128 << 20) + 1)  # one byte more than the largest chunk: a bomb for every format
    seeds = {}

    d = corpus("store", "dev.jcasync.store", "ChunkCodecFuzzTest", "zstd")
    for p in small_chunks("text-zstd"):
        put(d, "vector-" + os.path.basename(p), read(p))
    put(d, "text.zst", tool(["zstd", "-q", "-c", "-3"], text))
    put(d, "bomb-128MiB+1.zst", tool(["zstd", "-q", "-c", "-19", "--long=27"], zeros))
    nosize = tool(["zstd", "-q", "-c", "--no-content-size"], text)
    put(d, "no-content-size.zst", nosize)
    # A frame header claiming 128 MiB of content (FCS 8 bytes) and a tiny raw block.
    put(d, "claims-128MiB.zst", b"\x28\xb5\x2f\xfd" + bytes([0xE0]) + struct.pack("<Q", 128 << 20)
        + bytes([0x19, 0, 0]) + b"abc")
    put(d, "window-2GiB.zst", b"\x28\xb5\x2f\xfd" + bytes([0x00, 0xF8]) + bytes([0x19, 0, 0]) + b"abc")
    put(d, "two-frames.zst", tool(["zstd", "-q", "-c"], b"a" * 100) * 2)
    put(d, "trailing-garbage.zst", tool(["zstd", "-q", "-c"], text) + b"junk")
    put(d, "truncated.zst", tool(["zstd", "-q", "-c"], text)[:-7])
    put(d, "skippable-frame.zst", b"\x50\x2a\x4d\x18" + struct.pack("<I", 4) + b"skip")

    d = corpus("store", "dev.jcasync.store", "ChunkCodecFuzzTest", "xz")
    for p in small_chunks("text-xz"):
        put(d, "vector-" + os.path.basename(p), read(p))
    put(d, "text.xz", tool(["xz", "-c", "-6", "--check=crc64"], text))
    put(d, "bomb-128MiB+1.xz", tool(["xz", "-c", "-9", "--check=crc64"], zeros))
    # Headers claiming huge dictionaries: a decoder must not allocate them (issue 13).
    put(d, "dict-1536MiB.xz", xz_with_dict_props(text[:1000], 39))
    put(d, "dict-4GiB.xz", xz_with_dict_props(text[:1000], 40))
    put(d, "dict-256MiB.xz", xz_with_dict_props(text[:1000], 33))
    put(d, "check-sha256.xz", tool(["xz", "-c", "--check=sha256"], text))
    put(d, "two-streams.xz", tool(["xz", "-c"], b"a" * 100) * 2)
    put(d, "trailing-garbage.xz", tool(["xz", "-c"], text) + b"junk")
    put(d, "truncated.xz", tool(["xz", "-c"], text)[:-9])

    d = corpus("store", "dev.jcasync.store", "ChunkCodecFuzzTest", "gzip")
    for p in small_chunks("text-gzip"):
        put(d, "vector-" + os.path.basename(p), read(p))
    put(d, "text.gz", gzip.compress(text, 6, mtime=0))
    put(d, "bomb-128MiB+1.gz", gzip.compress(zeros, 9, mtime=0))
    put(d, "two-members.gz", gzip.compress(b"a" * 100, mtime=0) * 2)
    put(d, "trailing-garbage.gz", gzip.compress(text, mtime=0) + b"junk")
    put(d, "truncated.gz", gzip.compress(text, mtime=0)[:-3])
    g = bytearray(gzip.compress(text, mtime=0))
    g[-1] ^= 0x40  # ISIZE says 1 GiB more
    put(d, "isize-lies.gz", bytes(g))
    # FEXTRA claiming 65535 bytes in a short file, and FNAME with no terminator.
    put(d, "fextra-overlong.gz", b"\x1f\x8b\x08\x04" + bytes(6) + b"\xff\xff" + bytes(10))
    put(d, "fname-unterminated.gz", b"\x1f\x8b\x08\x08" + bytes(6) + b"name" * 5)
    put(d, "all-flags.gz", b"\x1f\x8b\x08\x1e" + bytes(6) + b"\x02\x00xy" + b"n\0" + b"c\0" + b"\0\0"
        + zlib.compress(b"hello")[2:-4] + struct.pack("<II", zlib.crc32(b"hello"), 5))

    d = corpus("store", "dev.jcasync.store", "ChunkCodecFuzzTest", "lz4")
    lz4 = ["lz4", "-q", "-c", "--content-size", "-BD"]
    put(d, "text.lz4", tool(["lz4", "-q", "-c", "--content-size", "-B4"], text))
    put(d, "text-linked.lz4", tool(lz4 + ["-B4"], text))
    put(d, "text-nosize.lz4", tool(["lz4", "-q", "-c", "--no-frame-crc", "-B4"], text))
    put(d, "bomb-128MiB+1.lz4", tool(["lz4", "-q", "-c", "-9", "--content-size", "-B7"], zeros))
    put(d, "blocksize-4MiB.lz4", tool(["lz4", "-q", "-c", "-B7"], b"x" * 10))
    put(d, "two-frames.lz4", tool(["lz4", "-q", "-c"], b"a" * 100) * 2)
    put(d, "trailing-garbage.lz4", tool(["lz4", "-q", "-c"], text) + b"junk")
    put(d, "truncated.lz4", tool(["lz4", "-q", "-c"], text)[:-5])
    put(d, "legacy-frame.lz4", tool(["lz4", "-q", "-c", "-l"], text))

    d = corpus("store", "dev.jcasync.store", "ChunkCodecFuzzTest", "raw")
    put(d, "text.raw", text)
    put(d, "one-byte.raw", b"x")
    put(d, "zstd-magic.raw", tool(["zstd", "-q", "-c"], text))  # raw data may start with any magic
    return seeds


# ---------------------------------------------------------------- request paths
def path_corpus():
    cid = "164580b94a6822a1022a8602be0ff18cf17de695ec90b4cebb3b5a53d38aeba8"
    good = "/" + cid[:4] + "/" + cid
    chunk_paths = {
        "compressed": good + ".cacnk",
        "raw": good,
        "uppercase-hex": good.upper() + ".cacnk",
        "uppercase-suffix": good + ".CACNK",
        "wrong-prefix": "/0000/" + cid + ".cacnk",
        "dotdot": "/" + cid[:4] + "/../" + cid[:4] + "/" + cid + ".cacnk",
        "dotdot-start": "/../" + cid[:4] + "/" + cid + ".cacnk",
        "pct-dotdot": "/%2e%2e/" + cid[:4] + "/" + cid + ".cacnk",
        "pct-slash": "/" + cid[:4] + "%2f" + cid + ".cacnk",
        "pct-encoded-hex": "/" + cid[:4] + "/%31" + cid[1:] + ".cacnk",
        "double-slash": "//" + cid[:4] + "/" + cid + ".cacnk",
        "double-slash-mid": "/" + cid[:4] + "//" + cid + ".cacnk",
        "backslash": "/" + cid[:4] + "\\" + cid + ".cacnk",
        "nul": good + ".cacnk\0",
        "nul-mid": good + "\0.cacnk",
        "trailing-slash": good + ".cacnk/",
        "dot-segment": "/./" + cid[:4] + "/" + cid + ".cacnk",
        "query": good + ".cacnk?x=1",
        "fragment": good + ".cacnk#a",
        "semicolon": good + ".cacnk;jsessionid=1",
        "short-id": "/" + cid[:4] + "/" + cid[:-1] + ".cacnk",
        "long-id": "/" + cid[:4] + "/" + cid + "0.cacnk",
        "overlong-name": "/" + cid[:4] + "/" + cid + "a" * 4096 + ".cacnk",
        "double-suffix": good + ".cacnk.cacnk",
        "tmp-file": good + ".0123456789abcdef.tmp",
        "no-leading-slash": good[1:] + ".cacnk",
        "prefix-only": "/" + cid[:4] + "/",
        "root": "/",
        "empty": "",
        "absolute-url": "http://127.0.0.1" + good + ".cacnk",
        "fullwidth-digit": "/" + cid[:4] + "/\uff11" + cid[1:] + ".cacnk",
        "overlong-utf8-dot": "/%c0%ae%c0%ae/" + cid[:4] + "/" + cid + ".cacnk",
        "sha512-id": "/" + cid[:4] + "/" + cid + cid + ".cacnk",
    }
    index_paths = {
        "caibx": "/image.caibx",
        "caidx": "/rootfs-1.2_3.caidx",
        "dotfile": "/.hidden.caibx",
        "dotdot": "/../etc.caibx",
        "dotdot-only": "/...caibx",
        "pct-dotdot": "/%2e%2e%2fsecret.caibx",
        "subdir": "/dir/image.caibx",
        "double-slash": "//image.caibx",
        "backslash": "/..\\image.caibx",
        "nul": "/image.caibx\0",
        "nul-mid": "/image\0.caibx",
        "uppercase-ext": "/image.CAIBX",
        "other-ext": "/image.catar",
        "only-ext": "/.caibx",
        "trailing-newline": "/image.caibx\n",
        "trailing-slash": "/image.caibx/",
        "overlong": "/" + "a" * 300 + ".caibx",
        "longest": "/" + "a" * 201 + ".caibx",
        "space": "/my image.caibx",
        "unicode": "/\u00e9t\u00e9.caibx",
        "chunk-path": "/1645/" + cid + ".cacnk",
        "regex-heavy": "/" + "a." * 100 + "caibx" + "!",
    }
    d = corpus("store-http", "dev.jcasync.serve", "RequestPathFuzzTest", "chunkPath")
    for name, p in chunk_paths.items():
        put(d, name, p.encode("utf-8"))
    d = corpus("store-http", "dev.jcasync.serve", "RequestPathFuzzTest", "indexPath")
    for name, p in index_paths.items():
        put(d, name, p.encode("utf-8"))
    for name, p in chunk_paths.items():
        put(d, "chunk-" + name, p.encode("utf-8"))


# ---------------------------------------------------------------- catar reader
def catar_corpus():
    d = corpus("archive", "dev.jcasync.archive.read", "CatarReaderFuzzTest", "read")
    for name in sorted(os.listdir(os.path.join(VEC, "catar"))):
        p = os.path.join(VEC, "catar", name)
        if name.endswith(".catar") and os.path.getsize(p) <= 64 * 1024:
            put(d, "vector-" + name, read(p))
    example = read(os.path.join(VEC, "catar/example.catar"))

    def u64(data, off, value):
        b = bytearray(data)
        b[off:off + 8] = struct.pack("<Q", value & (2**64 - 1))
        return bytes(b)

    put(d, "probe-empty.catar", b"")
    put(d, "probe-truncated.catar", example[:100])
    put(d, "probe-entry-size-huge.catar", u64(example, 0, 2**62))
    put(d, "probe-entry-size-2e64.catar", u64(example, 0, 2**64 - 1))
    put(d, "probe-entry-size-small.catar", u64(example, 0, 8))
    rnd = random.Random(17)
    for i in range(30):
        b = bytearray(example)
        for _ in range(rnd.randint(1, 3)):
            pos = rnd.randrange(len(b))
            if rnd.random() < 0.5:
                b[pos] ^= 1 << rnd.randrange(8)
            else:
                b[pos] = rnd.choice([0, 0xFF, 0x7F, 0x80])
        put(d, "mutated-%02d.catar" % i, bytes(b))


if __name__ == "__main__":
    index_corpus()
    codec_corpus()
    path_corpus()
    catar_corpus()
