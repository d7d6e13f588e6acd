package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcasync.vectors.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extract onto a real block device (a loop device): written in place automatically, the device's
 * old content used as a seed, only as far as the image reaches. Needs root and losetup; skipped
 * (with the reason) where loop devices cannot be made.
 */
class BlockDeviceExtractTest {
    @TempDir
    Path dir;

    Path device;

    @BeforeEach
    void loopDevice() throws Exception {
        Path backing = dir.resolve("backing.img");
        try (FileChannel ch = FileChannel.open(backing, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.allocate(1), (16 << 20) - 1); // 16 MiB, larger than the images
        }
        Process p = new ProcessBuilder("losetup", "-f", "--show", backing.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        int code = p.waitFor();
        assumeTrue(code == 0 && out.startsWith("/dev/"), "no loop device here (needs root and losetup): " + out);
        device = Path.of(out);
    }

    @AfterEach
    void detach() throws Exception {
        if (device != null) {
            new ProcessBuilder("losetup", "-d", device.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        }
    }

    private void writeDevice(byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
            ch.force(false);
        }
    }

    private byte[] readDevice(int length) throws IOException {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // read on
            }
            return b.array();
        }
    }

    @Test
    void extractOntoADeviceReusesWhatItHolds() throws Exception {
        byte[] old = TestData.random(41, 5 << 20);
        // The new image: the old one with its first 600,000 bytes cut and 300,000 new ones at the end.
        byte[] target = Arrays.copyOf(Arrays.copyOfRange(old, 600_000, old.length), old.length - 300_000);
        System.arraycopy(TestData.random(42, 300_000), 0, target, old.length - 600_000, 300_000);
        Path index = dir.resolve("new.caibx");
        Path store = dir.resolve("store.castr");
        Cli.run("make", "--store=" + store, index, TestData.write(dir, "new.img", target))
                .assertOk();
        writeDevice(old);

        Map<String, Object> j = Inspect.json(Cli.run("extract", "--json", "--store=" + store, index, device));
        byte[] onDevice = readDevice(old.length);
        assertArrayEquals(target, Arrays.copyOf(onDevice, target.length));
        assertArrayEquals(
                Arrays.copyOfRange(old, target.length, old.length),
                Arrays.copyOfRange(onDevice, target.length, old.length),
                "the device past the image is left as it was");
        long fromDevice = Inspect.number(Json.object(j.get("from_seeds")), "chunks");
        long fetched = Inspect.number(Json.object(Json.array(j.get("stores")).get(0)), "chunks");
        assertTrue(fromDevice > 0, "the moved data is copied from the device itself: " + j);
        assertTrue(fetched < Inspect.ids(index).size() / 4, "most of the image is not read from the store: " + j);

        Map<String, Object> again = Inspect.json(Cli.run("extract", "--json", "--store=" + store, index, device));
        assertEquals(
                Inspect.entries(index),
                Inspect.number(Json.object(again.get("in_place")), "chunks"),
                "nothing left to do");
        assertArrayEquals(target, readDevice(target.length));
    }

    @Test
    void aSymlinkToTheDeviceIsFollowedAndKept() throws Exception {
        byte[] image = TestData.random(43, 3 << 20);
        Path index = dir.resolve("image.caibx");
        Path store = dir.resolve("store.castr");
        Cli.run("make", "--store=" + store, index, TestData.write(dir, "image.img", image))
                .assertOk();
        writeDevice(TestData.random(44, 4 << 20));
        Path link = Files.createSymbolicLink(dir.resolve("rootfs.1"), device);
        Cli.run("extract", "-q", "--store=" + store, index, link).assertOk();
        assertTrue(Files.isSymbolicLink(link), "the link survives");
        assertEquals(device, Files.readSymbolicLink(link));
        assertArrayEquals(image, readDevice(image.length), "the device behind it holds the image");
    }
}
