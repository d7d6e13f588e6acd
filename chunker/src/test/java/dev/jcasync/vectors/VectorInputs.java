package dev.jcasync.vectors;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** The input recipes of testdata/vectors/generate_inputs.py, ported to Java. */
public final class VectorInputs {
    private static final byte[] TEXT_ALPHABET = "abcdefghijklmnopqrstuvwxyz    .\n".getBytes(UTF_8);

    private VectorInputs() {}

    /** The input named as in the script's INPUTS table. */
    public static byte[] generate(String name) {
        return switch (name) {
            case "empty" -> new byte[0];
            case "tiny-20" -> prng("tiny", 20);
            case "small-10000" -> prng("small", 10000);
            case "exact-min-16384" -> prng("exact-min", 16384);
            case "zeros-1048577" -> new byte[1048577];
            case "prng-3m" -> prng("prng-3m", 3 * 1024 * 1024);
            case "prng-1m" -> prng("prng-1m", 1024 * 1024);
            case "prng-256k" -> prng("prng-256k", 262144);
            case "prng-32k" -> prng("prng-32k", 32768);
            case "fixed-200000" -> prng("fixed", 200000);
            case "repeat" -> repeat();
            case "text-256k" -> text("text", 262144);
            case "boundary-at-min" ->
                concat(
                        prng("atmin-prefix", 16384 - 48),
                        prng("atmin-window-49600", 48),
                        prng("atmin-suffix", 300000 - 16384));
            default -> throw new IllegalArgumentException("no recipe for input '" + name + "'");
        };
    }

    /** The first {@code size} bytes of SHA-256(label || u64le(0)) || SHA-256(label || u64le(1)) || ... */
    static byte[] prng(String label, int size) {
        MessageDigest sha256 = sha256();
        byte[] labelBytes = label.getBytes(UTF_8);
        ByteBuffer counter = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        byte[] out = new byte[size];
        for (long i = 0, filled = 0; filled < size; i++) {
            sha256.update(labelBytes);
            sha256.update(counter.putLong(0, i).array());
            byte[] block = sha256.digest();
            int n = (int) Math.min(block.length, size - filled);
            System.arraycopy(block, 0, out, (int) filled, n);
            filled += n;
        }
        return out;
    }

    /** prng bytes mapped onto a 32-symbol alphabet. */
    static byte[] text(String label, int size) {
        byte[] out = prng(label, size);
        for (int i = 0; i < size; i++) {
            out[i] = TEXT_ALPHABET[out[i] & 31];
        }
        return out;
    }

    /** A 300000-byte block twice, then again with an insertion after 100000 bytes, then once more. */
    static byte[] repeat() {
        byte[] b = prng("repeat-block", 300000);
        return concat(
                b,
                b,
                Arrays.copyOf(b, 100000),
                "-- an insertion --".getBytes(UTF_8),
                Arrays.copyOfRange(b, 100000, b.length),
                b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
