package dev.jcasync.index;

/** Magic numbers and sizes of the {@code .caibx} container (docs/format.md 5.1). */
final class IndexFormat {
    static final long HEADER_SIZE = 48;
    static final long TYPE_INDEX = 0x96824D9C7B129FF9L;
    static final long TABLE_SIZE_UNKNOWN = 0xFFFFFFFFFFFFFFFFL;
    static final long TYPE_TABLE = 0xE75B9E112F17417DL;
    static final long TABLE_TAIL_MARKER = 0x4B4F050E5549ECD1L;
    static final int ITEM_SIZE = 40;
    /** Header (48) + table header (16) + tail (40). */
    static final int FIXED_SIZE = 104;

    private IndexFormat() {}
}
