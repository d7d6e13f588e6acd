package dev.jcasync.store.s3;

import java.net.URI;
import java.util.Locale;

/**
 * Where an S3 store or file is, parsed from desync's syntax {@code s3+http://HOST[:PORT]/BUCKET[/PREFIX]}
 * or {@code s3+https://...}: the endpoint the S3 API is reached at, the bucket, and the key prefix
 * below which the store's {@code <4 hex>/<id>.cacnk} objects are (empty: the bucket's top). A query
 * ({@code ?lookup=path}, as desync accepts) is ignored: requests always use path-style addressing.
 *
 * @param endpoint {@code http(s)://HOST[:PORT]}
 * @param bucket the bucket's name
 * @param prefix the key prefix, without leading or trailing '/' (may be empty)
 */
public record S3Location(URI endpoint, String bucket, String prefix) {
    private static final String HTTP = "s3+http://";
    private static final String HTTPS = "s3+https://";

    /** True if {@code location} starts with {@code s3+http://} or {@code s3+https://} (any case). */
    public static boolean accepts(String location) {
        String lower = location == null ? "" : location.toLowerCase(Locale.ROOT);
        return lower.startsWith(HTTP) || lower.startsWith(HTTPS);
    }

    /**
     * Parses an S3 location.
     *
     * @throws IllegalArgumentException if it is not one, or names no bucket
     */
    public static S3Location parse(String location) {
        if (!accepts(location)) {
            throw new IllegalArgumentException(
                    "not an S3 location: '" + location + "' (s3+http(s)://HOST[:PORT]/BUCKET[/PREFIX])");
        }
        String rest = location.substring(3); // "http(s)://..."
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int hostStart = rest.indexOf("://") + 3;
        int slash = rest.indexOf('/', hostStart);
        String authority = slash < 0 ? rest.substring(hostStart) : rest.substring(hostStart, slash);
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("S3 location " + location + ": no host");
        }
        if (authority.contains("@")) {
            throw new IllegalArgumentException("S3 location " + location
                    + ": credentials do not belong in the URL (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        }
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        path = trimSlashes(path);
        int cut = path.indexOf('/');
        String bucket = cut < 0 ? path : path.substring(0, cut);
        String prefix = cut < 0 ? "" : trimSlashes(path.substring(cut + 1));
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException(
                    "S3 location " + location + ": no bucket (s3+http(s)://HOST[:PORT]/BUCKET[/PREFIX])");
        }
        URI endpoint;
        try {
            endpoint = URI.create(rest.substring(0, hostStart).toLowerCase(Locale.ROOT) + authority);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("S3 location " + location + ": bad host '" + authority + "'");
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("S3 location " + location + ": bad host '" + authority + "'");
        }
        return new S3Location(endpoint, bucket, prefix);
    }

    /** The object key of a store-relative name ({@code <4 hex>/<file>}). */
    public String key(String relative) {
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    /** What a listing of the store asks for: every key under the prefix. */
    String listPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** The store-relative name of a listed key. */
    String relative(String key) {
        return key.substring(listPrefix().length());
    }

    /** The location as given, normalised: {@code s3+http(s)://HOST[:PORT]/BUCKET[/PREFIX]}. */
    @Override
    public String toString() {
        return "s3+" + endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
