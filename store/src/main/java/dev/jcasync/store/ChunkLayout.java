package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The names of chunk files in a casync store (docs/format.md 6.1), wherever the store is: chunk
 * {@code id} is {@code <4 hex>/<id>.cacnk} when compressed, {@code <4 hex>/<id>} when raw, where
 * the 4 hex digits are the id's first ones. The same relative name is a file under a store
 * directory and a URL path under a store URL. Also the names of writers' temporary files.
 * Nothing else knows these names.
 */
public final class ChunkLayout {
    private static final String COMPRESSED_SUFFIX = ".cacnk";
    private static final int PREFIX = 4;
    private static final String TEMP_SUFFIX = ".tmp";
    /** desync's temporary chunk files. */
    private static final String DESYNC_TEMP_PREFIX = ".tmp-cacnk";

    private ChunkLayout() {}

    /** The file name of chunk {@code id} in its prefix directory: {@code <id>.cacnk} or {@code <id>}. */
    public static String fileName(ChunkId id, boolean compressed) {
        return compressed ? id.toHex() + COMPRESSED_SUFFIX : id.toHex();
    }

    /** The store-relative name of chunk {@code id}'s file: {@code <4 hex>/<id>.cacnk} or {@code <4 hex>/<id>}. */
    public static String path(ChunkId id, boolean compressed) {
        return id.prefix() + "/" + fileName(id, compressed);
    }

    /** True if {@code name} is a prefix directory's: 4 lowercase hex digits. */
    public static boolean isPrefixDirectory(String name) {
        if (name.length() != PREFIX) {
            return false;
        }
        for (int i = 0; i < PREFIX; i++) {
            char c = name.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The chunk file a store-relative name {@code <4 hex>/<file name>} names, or null if it names
     * none. The prefix directory need not be the id's: a file in the wrong one is
     * {@link StoreFile#misplaced() misplaced}.
     */
    public static StoreFile parse(String relative) {
        if (relative.length() <= PREFIX + 1
                || relative.charAt(PREFIX) != '/'
                || !isPrefixDirectory(relative.substring(0, PREFIX))) {
            return null;
        }
        String name = relative.substring(PREFIX + 1);
        boolean compressed = name.endsWith(COMPRESSED_SUFFIX);
        String hex = compressed ? name.substring(0, name.length() - COMPRESSED_SUFFIX.length()) : name;
        return ChunkId.isValidHex(hex) ? new StoreFile(relative, ChunkId.parse(hex), compressed) : null;
    }

    /**
     * A fresh temporary name for a writer of the file {@code fileName}, in casync's pattern
     * {@code <name without .cacnk>.<random hex>.tmp}, to be renamed into place when complete.
     */
    public static String tempName(String fileName) {
        String base = fileName.endsWith(COMPRESSED_SUFFIX)
                ? fileName.substring(0, fileName.length() - COMPRESSED_SUFFIX.length())
                : fileName;
        return base + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX;
    }

    /** True for the temporary files of chunk writers: casync's and jcasync's {@code <id>.<hex>.tmp}, desync's {@code .tmp-cacnk<random>}. */
    public static boolean isTempName(String fileName) {
        return fileName.endsWith(TEMP_SUFFIX) || fileName.startsWith(DESYNC_TEMP_PREFIX);
    }
}
