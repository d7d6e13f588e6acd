package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.Stores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --store} and the remote options, shared by the commands that read or write chunks: a
 * picocli layer over {@link Stores}, which has the rules (locations, the default store). Values
 * that are wrong by themselves are usage errors (exit 2).
 */
final class StoreOptions {
    @Option(
            names = "--store",
            paramLabel = "STORE",
            description =
                    "Chunk store: a directory or an http(s):// URL (make, extract, digest: the last one given, as casync; --extra-store adds read-only stores tried after it; info, cache: every one given, tried in order). "
                            + "Default: $CASYNC_STORE, else default.castr beside the index.")
    List<String> stores = new ArrayList<>();

    @Option(
            names = "--retries",
            paramLabel = "N",
            converter = NonNegative.class,
            description = "HTTP: retries after a failed request (default ${DEFAULT-VALUE}).")
    int retries = RemoteOptions.defaults().retries();

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            converter = PositiveSeconds.class,
            description = "HTTP: connect and read timeout (default ${DEFAULT-VALUE}).")
    double timeoutSeconds = RemoteOptions.defaults().timeout().toMillis() / 1000.0;

    @Option(
            names = "--header",
            paramLabel = "'NAME: VALUE'",
            converter = HeaderLine.class,
            description = "HTTP: extra request header, e.g. 'Authorization: Bearer T' (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(
            names = "--ca-cert",
            paramLabel = "PEM",
            description = "HTTPS: also trust the CA certificate(s) in this file.")
    Path caCert;

    @Option(
            names = "--client-cert",
            paramLabel = "PEM",
            description = "HTTPS: client certificate (and key, unless --client-key).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "PEM", description = "HTTPS: client private key (PKCS#8).")
    Path clientKey;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The stores given, or casync's default store for {@code index} (docs/format.md 7.2). */
    OpenStores open(Path index) throws IOException {
        return open(index.toString());
    }

    OpenStores open(String index) throws IOException {
        return new OpenStores(
                Stores.openAll(stores.isEmpty() ? List.of(Stores.defaultStore(index)) : stores, remoteOptions()));
    }

    /** The store a writer (make, chop) writes to: the first one given, or the default for {@code index}. */
    ChunkStore openFirst(String index) throws IOException {
        return openOne(stores.isEmpty() ? Stores.defaultStore(index) : stores.get(0));
    }

    /** The store at {@code location}, opened with these options. */
    ChunkStore openOne(String location) throws IOException {
        return Stores.open(location, remoteOptions());
    }

    /** Reads the index from a file or an http(s) URL. */
    BlobIndex readIndex(String index) throws IOException {
        return Stores.readIndex(index, remoteOptions());
    }

    RemoteOptions remoteOptions() {
        if (clientKey != null && clientCert == null) {
            throw new ParameterException(command.commandLine(), "--client-key needs --client-cert");
        }
        return RemoteOptions.defaults()
                .withRetries(retries)
                .withTimeout(Duration.ofMillis(Math.max(1, (long) (timeoutSeconds * 1000))))
                .withHeaders(headers)
                .withCaCertificate(caCert)
                .withClientCertificate(clientCert, clientKey);
    }

    /** {@code --retries}: 0 or more. */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n < 0) {
                throw new TypeConversionException("must be 0 or more, got " + n);
            }
            return n;
        }
    }

    /** {@code --timeout}: a positive number of seconds. */
    static final class PositiveSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double seconds;
            try {
                seconds = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of seconds");
            }
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new TypeConversionException("must be a positive number of seconds, got " + value);
            }
            return seconds;
        }
    }

    /** {@code --header}: a {@code Name: value} line. */
    static final class HeaderLine implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return RemoteOptions.checkHeader(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
