#!/usr/bin/env bash
# Builds (or reuses) a realistic benchmark corpus for bench/compare.sh:
#
#   bench/corpus.sh [DIR]          DIR defaults to $JCASYNC_CORPUS, else /var/tmp/jcasync-corpus
#
#   os-v1.img, os-v2.img   ext4 images (IMAGE_SIZE, default 1G) of a "root filesystem" tree taken
#                          from this machine (a fixed list of /usr and /etc directories, sampled
#                          file by file in a fixed pseudo-random order up to TREE_MB), and of the
#                          same tree after an "upgrade": CHURN_PCT % of the files modified (a third
#                          get text appended, a third get a few small in-place patches, a third are
#                          rewritten entirely), DELETE_PERMILLE per mille deleted, and a new
#                          directory /opt/vendor-suite-2.0 of NEW_MB of files v1 does not contain.
#   tar-v1.tar, tar-v2.tar uncompressed tarballs of the same two trees.
#
# Deterministic where practical: the file selection and the churn depend only on the paths and
# bytes of the source files; every timestamp (mtime, atime, ctime, crtime, superblock times) is
# pinned to @1700000000, UUIDs and directory hash seeds are fixed, tar sorts by name with fixed
# owner and mtime. Two builds from the same machine state give byte-identical files.
#
# A corpus is reused when DIR/.complete records the same parameters and the files have the
# recorded sizes; otherwise it is rebuilt (in DIR/.build.*, moved into place at the end).
#
# Environment: IMAGE_SIZE (mke2fs size, e.g. 1G or 256M; default 1G), TREE_MB (default 54% of the
# image), NEW_MB (default 6% of TREE_MB), CHURN_PCT (3), DELETE_PERMILLE (25), MAX_FILE_MB (32:
# larger source files are skipped), SOURCES (space-separated directories to sample from).
# Needs mke2fs/debugfs/e2fsck (e2fsprogs), GNU tar, perl.
set -euo pipefail

CORPUS_VERSION=3
DIR="${1:-${JCASYNC_CORPUS:-/var/tmp/jcasync-corpus}}"
IMAGE_SIZE="${IMAGE_SIZE:-1G}"
CHURN_PCT="${CHURN_PCT:-3}"
DELETE_PERMILLE="${DELETE_PERMILLE:-25}"
MAX_FILE_MB="${MAX_FILE_MB:-32}"
SOURCES="${SOURCES:-/etc /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu /usr/lib/gcc /usr/lib/python3 /usr/lib/python3.11 /usr/lib/git-core /usr/lib/systemd /usr/lib/file /usr/lib/jvm/java-17-openjdk-amd64 /usr/share/man /usr/share/doc /usr/share/locale /usr/share/zoneinfo /usr/share/i18n /usr/share/perl /usr/share/vim /usr/share/icons /usr/share/mime /usr/share/fonts /usr/share/X11}"
EPOCH=1700000000

die() { echo "corpus: error: $*" >&2; exit 1; }
log() { echo "corpus: $*" >&2; }

# --- parameters ----------------------------------------------------------------------------------
case "$IMAGE_SIZE" in
    *[0-9]G) IMAGE_MB=$(( ${IMAGE_SIZE%G} * 1024 )) ;;
    *[0-9]M) IMAGE_MB=${IMAGE_SIZE%M} ;;
    *) die "IMAGE_SIZE must look like 1G or 256M (got '$IMAGE_SIZE')" ;;
esac
[[ "$IMAGE_MB" =~ ^[0-9]+$ && "$IMAGE_MB" -ge 64 ]] || die "IMAGE_SIZE too small (min 64M)"
TREE_MB="${TREE_MB:-$(( IMAGE_MB * 54 / 100 ))}"
NEW_MB="${NEW_MB:-$(( TREE_MB * 6 / 100 ))}"
for v in TREE_MB NEW_MB CHURN_PCT DELETE_PERMILLE MAX_FILE_MB; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer"
done
(( TREE_MB + NEW_MB + TREE_MB / 10 + 64 < IMAGE_MB )) || die "TREE_MB+NEW_MB do not fit in IMAGE_SIZE"

for tool in mke2fs debugfs e2fsck tar perl; do
    command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/sbin:/usr/sbin"
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install -y e2fsprogs tar perl)"
done

FILES="os-v1.img os-v2.img tar-v1.tar tar-v2.tar"
PARAMS="version=$CORPUS_VERSION image=$IMAGE_SIZE tree_mb=$TREE_MB new_mb=$NEW_MB churn_pct=$CHURN_PCT delete_permille=$DELETE_PERMILLE max_file_mb=$MAX_FILE_MB sources=$SOURCES"

print_sizes() {
    echo "corpus in $DIR ($IMAGE_SIZE images):"
    for f in $FILES; do
        printf '  %-11s %12s bytes  (%5d MiB apparent, %5d MiB allocated)\n' "$f" \
            "$(stat -c %s "$DIR/$f")" "$(( $(stat -c %s "$DIR/$f") >> 20 ))" \
            "$(( $(stat -c %b "$DIR/$f") * $(stat -c %B "$DIR/$f") >> 20 ))"
    done
    [[ -f "$DIR/corpus-info.txt" ]] && sed 's/^/  /' "$DIR/corpus-info.txt"
    return 0
}

# --- reuse ---------------------------------------------------------------------------------------
complete() {
    [[ -f "$DIR/.complete" ]] || return 1
    [[ "$(head -n1 "$DIR/.complete")" == "$PARAMS" ]] || return 1
    local f size
    for f in $FILES; do
        size="$(awk -v f="$f" '$1 == f { print $2 }' "$DIR/.complete")"
        [[ -n "$size" && -f "$DIR/$f" && "$(stat -c %s "$DIR/$f")" == "$size" ]] || return 1
    done
}
if complete; then
    log "reusing the complete corpus in $DIR"
    print_sizes
    exit 0
fi

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
BUILD="$(mktemp -d "$DIR/.build.XXXXXX")"
cleanup() { chmod -R u+rwx "$BUILD" 2>/dev/null || true; rm -rf "$BUILD"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
avail_mb=$(( $(df -Pk "$DIR" | awk 'NR == 2 { print $4 }') / 1024 ))
need_mb=$(( 7 * TREE_MB + 4 * NEW_MB + 200 ))
(( avail_mb > need_mb )) || die "not enough space in $DIR: ${avail_mb} MiB free, ~${need_mb} MiB needed"
rm -f "$DIR/.complete"
log "building in $BUILD ($PARAMS)"

# --- 1. select files ----------------------------------------------------------------------------
# Regular files (world-readable only: no keys or shadow files) and symlinks under SOURCES, in the
# order of md5(path); the first TREE_MB (4 KiB-rounded) make v1, the next NEW_MB the new directory.
rel=()
for s in $SOURCES; do
    [[ -d "$s" ]] && rel+=("${s#/}")
done
(( ${#rel[@]} > 0 )) || die "none of SOURCES exist"
(cd / && find "${rel[@]}" -xdev \( -type l -o \( -type f -perm -o=r \) \) -printf '%s\t%p\0') \
    | perl -0 -MDigest::MD5=md5_hex -e '
        my ($tree, $new, $max, $v1, $pool) = @ARGV;
        my @e;
        while (my $l = <STDIN>) {
            chomp $l;
            my ($size, $path) = split /\t/, $l, 2;
            next if $path =~ /[\n\\"]/ || $size > $max;
            push @e, [md5_hex($path), $size, $path];
        }
        my ($sum, $nsum, @a, @b) = (0, 0);
        for my $x (sort { $a->[0] cmp $b->[0] } @e) {
            my $alloc = ($x->[1] + 4095) & ~4095;
            if ($sum + $alloc <= $tree) { $sum += $alloc; push @a, $x->[2]; }
            elsif ($nsum + $alloc <= $new) { $nsum += $alloc; push @b, $x->[2]; }
            last if $sum > $tree - 65536 && $nsum > $new - 65536;
        }
        for ([$v1, \@a], [$pool, \@b]) {
            open(my $o, ">", $_->[0]) or die; print $o map { "$_\0" } sort @{$_->[1]}; close $o or die;
        }
        printf STDERR "corpus: selected %d files (%d MiB) for v1, %d files (%d MiB) for the new directory\n",
            scalar @a, $sum >> 20, scalar @b, $nsum >> 20;
    ' $(( TREE_MB << 20 )) $(( NEW_MB << 20 )) $(( MAX_FILE_MB << 20 )) "$BUILD/v1.list" "$BUILD/new.list"

# --- 2. copy the trees -------------------------------------------------------------------------
mkdir -p "$BUILD/tree-v1" "$BUILD/tree-v2/opt/vendor-suite-2.0"
(cd / && tar --null --no-recursion -T "$BUILD/v1.list" -cf - 2>/dev/null) | tar -C "$BUILD/tree-v1" -xpf -
cp -a "$BUILD/tree-v1/." "$BUILD/tree-v2/"
(cd / && tar --null --no-recursion -T "$BUILD/new.list" -cf - 2>/dev/null) | tar -C "$BUILD/tree-v2/opt/vendor-suite-2.0" -xpf -

# --- 3. upgrade churn in v2 ----------------------------------------------------------------------
cd "$BUILD/tree-v2"
find . -path ./opt/vendor-suite-2.0 -prune -o -type f -printf '%P\0' \
    | perl -0 -MDigest::MD5=md5 -e '
        my ($pct, $permille) = @ARGV;
        my @f = map { chomp; $_ } <STDIN>;
        my @r = sort { $a->[0] cmp $b->[0] } map { [md5("churn:$_"), $_] } @f;
        my $nchg = int(@r * $pct / 100 + 0.5);
        my $ndel = int(@r * $permille / 1000 + 0.5);
        my (%n, $grow);
        for my $i (0 .. $#r) {
            my ($h, $p) = @{$r[$i]};
            my $k = unpack("N", substr($h, 0, 4));
            if ($i >= $nchg) {
                last if $i >= $nchg + $ndel;
                unlink $p or die "unlink $p: $!"; $n{deleted}++; next;
            }
            my $size = -s $p;
            my $mode = $size == 0 ? 0 : $i % 3;
            if ($mode == 0) {             # append a few lines (a new changelog entry, a bigger table)
                open(my $fh, ">>", $p) or die "$p: $!";
                my $lines = 1 + $k % 64;
                print $fh sprintf("# %s: upgraded to 2.0, build %08x line %d\n", $p, $k, $_) for 1 .. $lines;
                close $fh or die; $n{appended}++;
            } elsif ($mode == 1) {        # 1-3 small in-place patches (version strings, offsets)
                open(my $fh, "+<", $p) or die "$p: $!"; binmode $fh;
                for my $j (0 .. $k % 3) {
                    my $d = md5("patch:$j:$p");
                    my $len = 8 + unpack("n", $d) % 192;
                    my $off = unpack("N", substr($d, 2, 4)) % $size;
                    $len = $size - $off if $off + $len > $size;
                    seek($fh, $off, 0) or die;
                    print $fh substr(md5("bytes:$j:$p") x 13, 0, $len);
                }
                close $fh or die; $n{patched}++;
            } else {                      # rewritten: every byte changes, same size and entropy
                open(my $fh, "+<", $p) or die "$p: $!"; binmode $fh;
                local $/; my $c = <$fh>;
                $c =~ tr/\x00-\xff/\x01-\xff\x00/;
                seek($fh, 0, 0) or die; print $fh $c; close $fh or die; $n{rewritten}++;
            }
        }
        printf STDERR "corpus: v2 churn over %d files: %d appended, %d patched, %d rewritten, %d deleted\n",
            scalar @f, $n{appended} // 0, $n{patched} // 0, $n{rewritten} // 0, $n{deleted} // 0;
        open(my $o, ">", "../churn.txt") or die;
        printf $o "v2 churn: %d of %d files modified (%d appended, %d patched, %d rewritten), %d deleted\n",
            $nchg, scalar @f, $n{appended} // 0, $n{patched} // 0, $n{rewritten} // 0, $n{deleted} // 0;
    ' "$CHURN_PCT" "$DELETE_PERMILLE"
cd /

# --- 4. images -----------------------------------------------------------------------------------
make_image() { # tree image uuid-suffix
    local tree="$1" img="$2" uuid="0a6a6373-796e-4300-8000-0000000000$3"
    find "$tree" -exec touch -h -d "@$EPOCH" {} +
    E2FSPROGS_FAKE_TIME=$EPOCH mke2fs -q -F -t ext4 -U "$uuid" \
        -E "root_owner=0:0,lazy_itable_init=0,nodiscard,hash_seed=$uuid" \
        -d "$tree" -b 4096 "$img" "$IMAGE_SIZE" >/dev/null
    # mke2fs copies each file's ctime, which touch cannot set: pin it with debugfs.
    (cd "$tree" && find . -mindepth 1 -printf '%P\n') \
        | awk -v t="$EPOCH" '{ printf "sif \"/%s\" ctime %s\n", $0, t }' > "$BUILD/debugfs.cmds"
    E2FSPROGS_FAKE_TIME=$EPOCH debugfs -w -f "$BUILD/debugfs.cmds" "$img" > "$BUILD/debugfs.log" 2>&1
    if grep -v '^debugfs' "$BUILD/debugfs.log" | grep -q .; then
        head -n 5 "$BUILD/debugfs.log" >&2
        die "debugfs reported errors while pinning ctimes in $img"
    fi
    E2FSPROGS_FAKE_TIME=$EPOCH e2fsck -fn "$img" >"$BUILD/fsck.log" 2>&1 || { cat "$BUILD/fsck.log" >&2; die "e2fsck: $img is not clean"; }
}
log "making os-v1.img"
make_image "$BUILD/tree-v1" "$BUILD/os-v1.img" 01
log "making os-v2.img"
make_image "$BUILD/tree-v2" "$BUILD/os-v2.img" 02

# --- 5. tarballs ---------------------------------------------------------------------------------
for v in 1 2; do
    log "making tar-v$v.tar"
    tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
        -C "$BUILD/tree-v$v" -cf "$BUILD/tar-v$v.tar" .
done

{
    cat "$BUILD/churn.txt"
    echo "v1: $(tr -cd '\0' < "$BUILD/v1.list" | wc -c) files sampled from: $SOURCES"
    echo "v2: + $(tr -cd '\0' < "$BUILD/new.list" | wc -c) new files in /opt/vendor-suite-2.0"
    for v in 1 2; do
        echo "tree-v$v: $(du -sm "$BUILD/tree-v$v" | cut -f1) MiB on disk, $(find "$BUILD/tree-v$v" -type f | wc -l) files"
    done
} > "$BUILD/corpus-info.txt"

# --- 6. into place -------------------------------------------------------------------------------
for f in $FILES corpus-info.txt; do
    mv -f "$BUILD/$f" "$DIR/$f"
done
{
    echo "$PARAMS"
    for f in $FILES; do echo "$f $(stat -c %s "$DIR/$f")"; done
} > "$DIR/.complete"
log "done"
print_sizes
