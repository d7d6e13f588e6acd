package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening stores and indexes by location, without any backend on the class path. */
class StoresTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryOrFileUrlIsALocalStore() throws IOException {
        Path dir = tmp.resolve("s.castr");
        assertEquals(dir, ((LocalStore) Stores.open(dir.toString())).root());
        assertEquals(dir, ((LocalStore) Stores.open("file://" + dir)).root());
        assertEquals(Path.of("relative.castr"), ((LocalStore) Stores.open("relative.castr")).root());
        assertEquals(Path.of("host:/path"), ((LocalStore) Stores.open("host:/path")).root(), "not a URL");
    }

    @Test
    void anUnsupportedSchemeIsAClearError() {
        for (String url : List.of("ftp://host/store", "s3+http://bucket/store", "http://host/store")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stores.open(url));
            assertTrue(
                    e.getMessage().startsWith("store " + url + ": unsupported URL scheme (use a directory"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("jcasync-store-http"), "says what would help: " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Stores.readIndex("ftp://host/a.caibx", RemoteOptions.defaults()));
        assertTrue(
                e.getMessage().startsWith("index ftp://host/a.caibx: unsupported URL scheme (use a file"),
                e.getMessage());
    }

    @Test
    void openAllFailsIfOneLocationCannotBeOpened() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Stores.openAll(List.of(tmp.toString(), "ftp://host/x"), RemoteOptions.defaults()));
    }

    @Test
    void defaultStoreIsCasyncStoreElseBesideTheIndex() {
        assertEquals("/env/store.castr", Stores.defaultStore("/a/b.caibx", "/env/store.castr"));
        assertEquals(
                tmp.resolve("default.castr").toString(),
                Stores.defaultStore(tmp.resolve("b.caibx").toString(), null));
        assertEquals(
                tmp.resolve("default.castr").toString(),
                Stores.defaultStore(tmp.resolve("b.caibx").toString(), ""));
        assertEquals(
                Path.of("").toAbsolutePath().resolve("default.castr").toString(), Stores.defaultStore("b.caibx", null));
        assertEquals(
                tmp.resolve("default.castr").toString(), Stores.defaultStore("file://" + tmp.resolve("b.caibx"), null));
        assertEquals("http://h/dir/default.castr", Stores.defaultStore("http://h/dir/b.caibx", null));
        assertEquals(
                "https://h/dir/default.castr",
                Stores.defaultStore("https://h/dir/b.caibx?sig=a/b;x=y/z", null),
                "query and parameters are not part of the path");
        assertEquals("http://h/default.castr", Stores.defaultStore("http://h/b.caibx", null));
    }

    @Test
    void readsAnIndexFromAPathOrFileUrl() throws IOException {
        BlobIndex index = new BlobIndex(
                BlobIndex.featureFlagsFor(DigestAlgorithm.SHA256),
                ChunkSizes.of(64, 256, 1024),
                List.of(new IndexEntry(0, 100, DigestAlgorithm.SHA256.digest(new byte[100]))));
        Path file = tmp.resolve("a.caibx");
        java.nio.file.Files.write(file, IndexWriter.toBytes(index));
        assertEquals(index, Stores.readIndex(file.toString(), RemoteOptions.defaults()));
        assertEquals(index, Stores.readIndex("file://" + file, RemoteOptions.defaults()));
    }

    @Test
    void remoteOptionsRejectWhatCannotWork() {
        RemoteOptions d = RemoteOptions.defaults();
        assertEquals(5, d.retries());
        assertEquals(Duration.ofSeconds(30), d.timeout());
        assertThrows(IllegalArgumentException.class, () -> d.withRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withHeader("no colon"));
        assertThrows(IllegalArgumentException.class, () -> d.withHeader(": no name"));
        assertThrows(IllegalArgumentException.class, () -> d.withClientCertificate(null, Path.of("key.pem")));
        assertEquals(
                List.of("Authorization: Bearer x"),
                d.withHeader("Authorization: Bearer x").headers());
    }

    @Test
    void noProvidersWithoutABackend() {
        assertEquals(List.of(), Stores.providers());
    }
}
