package dev.jcasync.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyWritebackTest {
    @TempDir
    Path dir;

    @Test
    void syncsAboutEvery64MiBWhileWritersReport() throws Exception {
        try (CountingChannel file = new CountingChannel(
                FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            try (EarlyWriteback w = EarlyWriteback.start(file)) {
                for (int i = 1; i <= 4; i++) {
                    for (int mib = 0; mib < 64; mib++) {
                        w.wrote(1 << 20);
                    }
                    int expected = i;
                    waitFor(() -> file.forces.get() >= expected); // one sync per 64 MiB reported
                }
            }
            assertEquals(4, file.forces.get(), "syncs while writing 256 MiB, 64 MiB at a time");
        }
    }

    @Test
    void aSmallOutputIsNotSyncedEarly() throws Exception {
        try (CountingChannel file = new CountingChannel(
                FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            try (EarlyWriteback w = EarlyWriteback.start(file)) {
                w.wrote(10 << 20);
                w.wrote(50 << 20);
            }
            assertEquals(0, file.forces.get(), "under 64 MiB the final sync alone suffices");
        }
    }

    @Test
    void manyWriterThreadsAtOnce() throws Exception {
        try (CountingChannel file = new CountingChannel(
                FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            try (EarlyWriteback w = EarlyWriteback.start(file)) {
                Thread[] writers = new Thread[4];
                for (int t = 0; t < writers.length; t++) {
                    writers[t] = new Thread(() -> {
                        for (int i = 0; i < 1000; i++) {
                            w.wrote(256 << 10); // 250 MiB per thread
                        }
                    });
                    writers[t].start();
                }
                for (Thread t : writers) {
                    t.join();
                }
                waitFor(() -> file.forces.get() >= 1);
            }
            assertTrue(file.forces.get() >= 1 && file.forces.get() <= 16, "1000 MiB reported: " + file.forces.get());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    /** A real file channel that counts force() calls. */
    private static final class CountingChannel extends FileChannel {
        final FileChannel delegate;
        final AtomicInteger forces = new AtomicInteger();

        CountingChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forces.incrementAndGet();
            delegate.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
