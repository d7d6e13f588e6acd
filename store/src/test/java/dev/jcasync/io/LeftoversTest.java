package dev.jcasync.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversTest {
    @TempDir
    Path dir;

    @Test
    void abandonedTemporaryFileIsTakenOverWithItsContent() throws IOException {
        Path target = dir.resolve("disk.img");
        Path abandoned = AtomicFile.tempBeside(target);
        Files.write(abandoned, new byte[] {1, 2, 3});
        Files.write(dir.resolve(".#other.img0123456789abcdef"), new byte[] {9}); // another target's
        Path temp = AtomicFile.tempBeside(target);

        FileChannel claimed = Leftovers.claim(target, temp);
        assertNotNull(claimed);
        try (FileChannel ch = claimed) {
            ByteBuffer buf = ByteBuffer.allocate(3);
            ch.read(buf, 0);
            assertArrayEquals(new byte[] {1, 2, 3}, buf.array());
        }
        assertTrue(Files.exists(temp));
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(dir.resolve(".#other.img0123456789abcdef")));
    }

    @Test
    void aLiveWritersFileIsLeftAlone() throws IOException {
        Path target = dir.resolve("disk.img");
        Path live = AtomicFile.tempBeside(target);
        try (FileChannel writer = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertNotNull(Leftovers.lock(writer));
            assertNull(Leftovers.claim(target, AtomicFile.tempBeside(target)));
            assertTrue(Files.exists(live));
        }
    }

    @Test
    void nothingToTakeOver() throws IOException {
        assertNull(Leftovers.claim(dir.resolve("disk.img"), AtomicFile.tempBeside(dir.resolve("disk.img"))));
    }
}
