package dev.jcasync.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS material from PEM files, with the JDK only: certificates, PKCS#8 private keys, and the
 * trust and key managers built from them (for {@code --ca-cert}, {@code --client-cert} and
 * {@code --client-key} of every remote store, and the chunk server's {@code --tls-cert}).
 */
public final class PemTls {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** Key algorithms tried in turn: a PKCS#8 blob names its algorithm, but only as an OID. */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA"};

    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {}

    /** All {@code CERTIFICATE} blocks of a PEM file, in order (a chain starts with the leaf). */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(pem, "CERTIFICATE")) {
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": bad certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IOException(pem + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return certs;
    }

    /** The unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}) of a PEM file. */
    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.isEmpty()) {
            String text = Files.readString(pem, StandardCharsets.ISO_8859_1);
            String hint = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                            || text.matches("(?s).*-----BEGIN (RSA|EC|DSA) PRIVATE KEY-----.*")
                    ? " (encrypted or legacy key format: convert it with 'openssl pkcs8 -topk8 -nocrypt')"
                    : "";
            throw new IOException(pem + ": no PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----) found" + hint);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IOException(pem + ": unsupported private key algorithm");
    }

    /** The system's default trust manager (the JDK's CA certificates). */
    public static X509TrustManager systemTrustManager() throws IOException {
        return trustManager(null);
    }

    /** Trusts {@code cas}, and the system CAs too if {@code includeSystem}. */
    public static X509TrustManager trustManager(List<X509Certificate> cas, boolean includeSystem) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            if (includeSystem) {
                for (X509Certificate ca : systemTrustManager().getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + n++, ca);
                }
            }
            for (X509Certificate ca : cas) {
                store.setCertificateEntry("ca-" + n++, ca);
            }
            return trustManager(store);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build trust store: " + e.getMessage(), e);
        }
    }

    /** Key managers presenting {@code chain} (leaf first) with its private key. */
    public static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use client certificate: " + e.getMessage(), e);
        }
    }

    public static SSLContext context(KeyManager[] keyManagers, X509TrustManager trustManager) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IOException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build trust manager: " + e.getMessage(), e);
        }
    }

    /** The decoded contents of every {@code -----BEGIN <type>-----} block, in file order. */
    private static List<byte[]> blocks(Path pem, String type) throws IOException {
        String text = Files.readString(pem, StandardCharsets.ISO_8859_1);
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    out.add(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IOException(pem + ": bad base64 in PEM " + type + " block", e);
                }
            }
        }
        return out;
    }

    /**
     * A server's TLS context: the PEM certificate chain (leaf first) in {@code certificate} and its
     * PKCS#8 private key in {@code key} (for the chunk server's HTTPS).
     */
    public static SSLContext serverContext(Path certificate, Path key) throws IOException {
        List<X509Certificate> chain = readCertificates(certificate);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", readPrivateKey(key), NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use server certificate " + certificate + ": " + e.getMessage(), e);
        }
    }
}
