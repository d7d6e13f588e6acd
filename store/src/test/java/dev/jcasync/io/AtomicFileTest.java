package dev.jcasync.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path tmp;

    @Test
    void tempIsBesideTargetWithCasyncName() {
        Path target = tmp.resolve("image.raw");
        Path temp = AtomicFile.tempBeside(target);
        assertEquals(tmp.toAbsolutePath(), temp.getParent());
        String name = temp.getFileName().toString();
        assertTrue(name.matches("\\.#image\\.raw[0-9a-f]{16}"), name);
        assertNotEquals(temp, AtomicFile.tempBeside(target));
    }

    @Test
    void writeCreatesAndReplaces() throws IOException {
        Path target = tmp.resolve("f.bin");
        byte[] a = TestData.random(1, 5000);
        AtomicFile.write(target, a);
        assertArrayEquals(a, Files.readAllBytes(target));
        byte[] b = TestData.random(2, 100);
        AtomicFile.write(target, b);
        assertArrayEquals(b, Files.readAllBytes(target));
        assertEquals(List.of("f.bin"), TestData.names(tmp));
    }

    @Test
    void commitMovesTempOverTarget() throws IOException {
        Path target = tmp.resolve("out");
        Files.write(target, new byte[] {1, 2, 3, 4});
        Path temp = AtomicFile.tempBeside(target);
        Files.write(temp, new byte[] {9});
        AtomicFile.commit(temp, target);
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
        assertEquals(List.of("out"), TestData.names(tmp));
    }
}
