package dev.jcasync.index;

import static dev.jcasync.index.IndexFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Serializes a {@link BlobIndex} to the exact bytes casync writes. */
public final class IndexWriter {
    private IndexWriter() {}

    public static byte[] toBytes(BlobIndex index) {
        int n = index.entries().size();
        ByteBuffer b = ByteBuffer.allocate(FIXED_SIZE + ITEM_SIZE * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(HEADER_SIZE).putLong(TYPE_INDEX).putLong(index.featureFlags());
        b.putLong(index.sizes().min())
                .putLong(index.sizes().avg())
                .putLong(index.sizes().max());
        b.putLong(TABLE_SIZE_UNKNOWN).putLong(TYPE_TABLE);
        for (IndexEntry e : index.entries()) {
            b.putLong(e.end());
            e.id().putTo(b);
        }
        b.putLong(0)
                .putLong(0)
                .putLong(HEADER_SIZE)
                .putLong(16L + (long) ITEM_SIZE * n + ITEM_SIZE)
                .putLong(TABLE_TAIL_MARKER);
        return b.array();
    }
}
