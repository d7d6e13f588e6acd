package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Checks a store file by file: proper names only, every file decodes to data with its id. */
final class StoreAudit {
    private StoreAudit() {}

    /** Returns the ids in the store; fails on any stray, partial or corrupt file. */
    static Set<ChunkId> audit(Path store, DigestAlgorithm digest) throws IOException {
        Set<ChunkId> ids = new HashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(store)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String hex = name.endsWith(".cacnk") ? name.substring(0, name.length() - 6) : name;
            if (!ChunkId.isValidHex(hex)) {
                fail("stray file in store: " + store.relativize(f));
            }
            assertEquals(hex.substring(0, 4), f.getParent().getFileName().toString(), "prefix dir of " + name);
            byte[] data = ChunkCodec.decode(new ChunkFile(Files.readAllBytes(f), name.endsWith(".cacnk")), -1);
            assertTrue(data.length > 0, "empty chunk " + name);
            assertEquals(hex, digest.digest(data).toHex(), "content of " + store.relativize(f));
            ids.add(ChunkId.parse(hex));
        }
        return ids;
    }
}
