package dev.jcasync.chunker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** The digests casync names chunks with (docs/format.md 4). */
public enum DigestAlgorithm {
    SHA512_256("sha512-256", "SHA-512/256"),
    SHA256("sha256", "SHA-256");

    private final String cliName;
    private final String jcaName;
    private final ThreadLocal<MessageDigest> perThread;
    /** Ids of all-zero chunks by size: images are full of them, and hashing zeros tells nothing new. */
    private final ZeroChunkIds zeroIds = new ZeroChunkIds(this);

    DigestAlgorithm(String cliName, String jcaName) {
        this.cliName = cliName;
        this.jcaName = jcaName;
        this.perThread = ThreadLocal.withInitial(this::newDigest);
    }

    /** The name casync's {@code --digest} option uses. */
    public String cliName() {
        return cliName;
    }

    public static DigestAlgorithm fromCliName(String name) {
        for (DigestAlgorithm a : values()) {
            if (a.cliName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown digest '" + name + "' (expected sha512-256 or sha256)");
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " missing from this JVM", e);
        }
    }

    /** The id of {@code data[offset .. offset+length)}. Thread-safe. */
    public ChunkId digest(byte[] data, int offset, int length) {
        if (Zeros.isAllZero(data, offset, offset + length)) {
            return zeroChunkId(length);
        }
        return hash(data, offset, length);
    }

    /** The id of a chunk of {@code length} zero bytes. */
    public ChunkId zeroChunkId(int length) {
        return zeroIds.of(length);
    }

    private ChunkId hash(byte[] data, int offset, int length) {
        MessageDigest md = perThread.get();
        md.update(data, offset, length);
        return ChunkId.wrap(md.digest());
    }

    public ChunkId digest(byte[] data) {
        return digest(data, 0, data.length);
    }

    /** Whether {@code data} is named {@code id} by one of {@code algorithms} (a store may hold either kind). */
    public static boolean namedBy(ChunkId id, byte[] data, List<DigestAlgorithm> algorithms) {
        for (DigestAlgorithm a : algorithms) {
            if (a.digest(data).equals(id)) {
                return true;
            }
        }
        return false;
    }
}
