package dev.jcasync.archive.write;

/**
 * One node as the encoder stored it, for listings ({@code list}, {@code mtree}): every value is the
 * stored one (mode after the feature flags, mtime after rounding, ids 0 when not stored).
 *
 * @param path path relative to the root, raw bytes; empty for the root itself
 * @param mode the ENTRY mode (type and permission bits)
 * @param flags the ENTRY flags (feature-flag bit values)
 * @param uid stored uid
 * @param gid stored gid
 * @param userName the USER record's name, or null when none was written
 * @param groupName the GROUP record's name, or null when none was written
 * @param mtime stored mtime in nanoseconds
 * @param size payload length (regular files), else 0
 * @param linkTarget symlink target, else null
 * @param deviceMajor device major (devices), else 0
 * @param deviceMinor device minor (devices), else 0
 * @param payloadDigest digest of the payload (regular files, when the listener asked for it), else null
 * @param projectId the QUOTA_PROJID stored, else 0
 * @param sourceUid the file's own uid, before --uid-shift/--uid-range (casync's mtree of a directory
 *     prints {@code uname=root} by it)
 * @param sourceGid the file's own gid, likewise
 */
public record CatarNode(
        byte[] path,
        long mode,
        long flags,
        long uid,
        long gid,
        byte[] userName,
        byte[] groupName,
        long mtime,
        long size,
        byte[] linkTarget,
        long deviceMajor,
        long deviceMinor,
        byte[] payloadDigest,
        long projectId,
        long sourceUid,
        long sourceGid) {}
