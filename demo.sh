#!/usr/bin/env bash
# The main job on a generated example: make an image into a chunk store, change the image,
# make the new version, then extract it back and check it is byte-identical.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jc="$here/jcasync"
work="${1:-$here/example}"
mkdir -p "$work"
cd "$work"

echo "== generating a 64 MiB disk-like image (random extents, zero runs, text) in $work"
python3 - <<'PY'
import hashlib, random
r = random.Random(42)
def prng(n):
    return r.randbytes(n)
with open("v1.img", "wb") as f:
    for i in range(64):
        kind = i % 4
        f.write(bytes(1 << 20) if kind == 0 else prng(1 << 20) if kind != 3 else (b"lorem ipsum dolor sit amet " * 40000)[:1 << 20])
data = bytearray(open("v1.img", "rb").read())
for off in (5_000_000, 20_000_123, 40_000_000):       # a few edited blocks
    data[off:off + 4096] = r.randbytes(4096)
data[30_000_000:30_000_000] = b"an insertion shifts everything after it"
open("v2.img", "wb").write(data)
PY
rm -rf store.castr v1.caibx v2.caibx v2.out

echo "== jcasync make v1 (prints the image digest)"
"$jc" make -v --store=store.castr v1.caibx v1.img
echo "== jcasync make v2 into the same store: only new chunks are stored"
"$jc" make -v --store=store.castr v2.caibx v2.img
echo "== first chunks of v2.caibx (offset size id)"
"$jc" list v2.caibx | head -5
echo "== jcasync extract v2 from the store, seeded by v1 (as a device holding the old image would)"
"$jc" extract --store=store.castr --seed=v1.img v2.caibx v2.out
cmp v2.img v2.out && echo "v2.out is byte-identical to v2.img"
echo "== sizes: image $(du -h --apparent-size v2.img | cut -f1), index $(du -h --apparent-size v2.caibx | cut -f1), store $(du -sh store.castr | cut -f1) for both versions"
