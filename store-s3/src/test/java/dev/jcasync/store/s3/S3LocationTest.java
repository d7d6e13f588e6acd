package dev.jcasync.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3LocationTest {
    @Test
    void parsesDesyncsSyntax() {
        S3Location l = S3Location.parse("s3+https://s3.eu-west-1.amazonaws.com/images/os/store.castr/");
        assertEquals(URI.create("https://s3.eu-west-1.amazonaws.com"), l.endpoint());
        assertEquals("images", l.bucket());
        assertEquals("os/store.castr", l.prefix());
        assertEquals("os/store.castr/abcd/x.cacnk", l.key("abcd/x.cacnk"));
        assertEquals("s3+https://s3.eu-west-1.amazonaws.com/images/os/store.castr", l.toString());

        S3Location top = S3Location.parse("S3+HTTP://127.0.0.1:9000/bucket?lookup=path");
        assertEquals(URI.create("http://127.0.0.1:9000"), top.endpoint());
        assertEquals(9000, top.endpoint().getPort());
        assertEquals("bucket", top.bucket());
        assertEquals("", top.prefix());
        assertEquals("abcd/x.cacnk", top.key("abcd/x.cacnk"));
    }

    @Test
    void acceptsOnlyS3Schemes() {
        assertTrue(S3Location.accepts("s3+http://h/b"));
        assertTrue(S3Location.accepts("s3+https://h/b"));
        assertFalse(S3Location.accepts("http://h/b"));
        assertFalse(S3Location.accepts("s3://h/b"));
        assertFalse(S3Location.accepts(null));
    }

    @Test
    void refusesWhatIsNotAStore() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3+http://host"))
                .getMessage()
                .contains("no bucket"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3+http://host//"))
                .getMessage()
                .contains("no bucket"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3+http:///b"))
                .getMessage()
                .contains("no host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3+http://key:secret@host/b"))
                .getMessage()
                .contains("AWS_ACCESS_KEY_ID"));
    }
}
