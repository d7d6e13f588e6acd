package dev.jcasync.archive.read;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A POSIX ACL as Linux stores it in {@code system.posix_acl_access} / {@code
 * system.posix_acl_default}: a version word, then entries of tag, permissions and id, ordered by
 * tag and, within the named tags, by id (the kernel refuses any other order).
 */
final class PosixAcl {
    private static final int VERSION = 2;
    private static final int USER_OBJ = 0x01;
    private static final int USER = 0x02;
    private static final int GROUP_OBJ = 0x04;
    private static final int GROUP = 0x08;
    private static final int MASK = 0x10;
    private static final int OTHER = 0x20;
    private static final long UNDEFINED_ID = 0xffffffffL;

    private record Entry(int tag, long perm, long id) {}

    private final List<Entry> entries = new ArrayList<>();

    private PosixAcl() {}

    /**
     * The ACL for owner, owning group, other, the named users and groups (resolved ids), and the
     * mask ({@code -1}: none; required by the kernel when there are named entries).
     */
    static PosixAcl of(long owner, long group, long other, long mask, List<long[]> users, List<long[]> groups) {
        PosixAcl a = new PosixAcl();
        a.entries.add(new Entry(USER_OBJ, owner, UNDEFINED_ID));
        for (long[] u : users) {
            a.entries.add(new Entry(USER, u[1], u[0]));
        }
        a.entries.add(new Entry(GROUP_OBJ, group, UNDEFINED_ID));
        for (long[] g : groups) {
            a.entries.add(new Entry(GROUP, g[1], g[0]));
        }
        if (mask >= 0) {
            a.entries.add(new Entry(MASK, mask, UNDEFINED_ID));
        }
        a.entries.add(new Entry(OTHER, other, UNDEFINED_ID));
        a.entries.sort(Comparator.comparingInt(Entry::tag).thenComparingLong(Entry::id));
        return a;
    }

    /** The xattr value. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VERSION);
        for (Entry e : entries) {
            b.putShort((short) e.tag);
            b.putShort((short) (e.perm & 7));
            b.putInt((int) e.id);
        }
        return b.array();
    }
}
