package dev.jcasync.chunker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A blob of known size whose bytes can be read at any position, from several threads at once. */
public interface PositionalInput {
    long size();

    /** Reads exactly {@code length} bytes at {@code position} into {@code buffer[offset..]}. */
    void readFully(long position, byte[] buffer, int offset, int length) throws IOException;

    /** The bytes of {@code channel} from its current position to the end it has now. */
    static PositionalInput of(FileChannel channel) throws IOException {
        long base = channel.position();
        long size = Math.max(0, channel.size() - base);
        return new PositionalInput() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
                ByteBuffer view = ByteBuffer.wrap(buffer, offset, length);
                while (view.hasRemaining()) {
                    if (channel.read(view, base + position + view.position() - offset) < 0) {
                        throw new EOFException("input ended at offset " + (position + view.position() - offset)
                                + " but was " + size + " bytes long when chunking began (did it shrink?)");
                    }
                }
            }
        };
    }

    static PositionalInput of(byte[] data) {
        return new PositionalInput() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public void readFully(long position, byte[] buffer, int offset, int length) {
                System.arraycopy(data, Math.toIntExact(position), buffer, offset, length);
            }
        };
    }
}
