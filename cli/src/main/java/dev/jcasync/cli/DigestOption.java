package dev.jcasync.cli;

import dev.jcasync.chunker.DigestAlgorithm;
import picocli.CommandLine.Option;

/** {@code --digest}: the chunk id digest (make) or the digest printed (digest); casync's other verbs accept it. */
final class DigestOption {
    @Option(
            names = "--digest",
            paramLabel = "sha512-256|sha256",
            converter = Values.Digest.class,
            description = "Digest algorithm (default sha512-256, also spelled default).")
    DigestAlgorithm algorithm = DigestAlgorithm.SHA512_256;
}
