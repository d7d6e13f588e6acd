package dev.jcasync.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ZeroChunkIdsTest {
    /** The plain way: hash a buffer of zeros. */
    private static ChunkId hashOfZeros(DigestAlgorithm algorithm, int length) {
        MessageDigest md = algorithm.newDigest();
        md.update(new byte[length]);
        return ChunkId.wrap(md.digest());
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void equalsTheHashOfZerosAtStepAndBlockEdges(DigestAlgorithm algorithm) {
        ZeroChunkIds ids = new ZeroChunkIds(algorithm);
        // 4096 is the checkpoint step; 64 and 128 the block sizes of SHA-256 and SHA-512.
        for (int length : new int[] {
            0, 1, 63, 64, 65, 127, 128, 129, 4095, 4096, 4097, 8191, 8192, 8193, 16384, 65536, 262144, 262143
        }) {
            assertEquals(hashOfZeros(algorithm, length), ids.of(length), "length " + length);
        }
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void equalsTheHashOfZerosForRandomSizesInAnyOrder(DigestAlgorithm algorithm) {
        ZeroChunkIds ids = new ZeroChunkIds(algorithm);
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            int length = random.nextInt(300_000);
            assertEquals(hashOfZeros(algorithm, length), ids.of(length), "length " + length);
            assertEquals(hashOfZeros(algorithm, length), ids.of(length), "length " + length + ", asked again");
        }
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void manyThreadsGetTheSameIds(DigestAlgorithm algorithm) throws Exception {
        ZeroChunkIds ids = new ZeroChunkIds(algorithm);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 50; i++) {
                        int length = random.nextInt(200_000);
                        assertEquals(hashOfZeros(algorithm, length), ids.of(length), "length " + length);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void digestOfZeroDataUsesTheSameIds(DigestAlgorithm algorithm) {
        byte[] data = new byte[100_000];
        assertEquals(hashOfZeros(algorithm, 70_001), algorithm.digest(data, 5, 70_001));
        assertEquals(hashOfZeros(algorithm, 70_001), algorithm.zeroChunkId(70_001));
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void rejectsNegativeSizes(DigestAlgorithm algorithm) {
        assertThrows(IllegalArgumentException.class, () -> new ZeroChunkIds(algorithm).of(-1));
    }
}
