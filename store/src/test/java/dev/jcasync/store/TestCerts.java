package dev.jcasync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-only TLS material: a CA, a server certificate for 127.0.0.1/localhost and a client
 * certificate it signed (EC P-256, valid 2000 to 2099). The keys are throwaway test keys. In this
 * module's test jar, for the HTTP and S3 stores' TLS tests.
 */
public final class TestCerts {
    public static final String CA = """
            -----BEGIN CERTIFICATE-----
            MIIBaDCCAQ6gAwIBAgICEAAwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPamNhc3lu
            YyB0ZXN0IENBMCAXDTAwMDEwMTAwMDAwMFoYDzIwOTkxMjMxMjM1OTU5WjAaMRgw
            FgYDVQQDDA9qY2FzeW5jIHRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
            AATEMAJwz3aIi2lznX7Yhtr5dHfwhAUNndZMBcWsYK3kTj/39OFMYT4SjEP8eXOl
            eEzg7AYAgkcbYqLiLglz86J1o0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB
            /wQEAwIBBjAdBgNVHQ4EFgQU8qfrNDM0KplgIAiGXooVEYBNh9MwCgYIKoZIzj0E
            AwIDSAAwRQIgeBIAqeTs7OuqOoXhQX5WezIZTNoqQ09bAUoBsYrAxfYCIQDKAoZ+
            Dx3V8dN2L8m/evjWN0OReDvagGb9zaGH77HAkQ==
            -----END CERTIFICATE-----
            """;

    public static final String SERVER_CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBnzCCAUSgAwIBAgICEAEwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPamNhc3lu
            YyB0ZXN0IENBMCAXDTAwMDEwMTAwMDAwMFoYDzIwOTkxMjMxMjM1OTU5WjAUMRIw
            EAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATq0QJu
            7uCNR+x10cLlcwSEH+dZMQTMcjDT9gBgrK2BCR51maDQpo+v1/0PQRUyVurRSiCu
            V60N5Ilqf0JDIKFOo34wfDAJBgNVHRMEAjAAMBoGA1UdEQQTMBGHBH8AAAGCCWxv
            Y2FsaG9zdDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQUziEumK53m95b
            pLhlLeseKU8HlcIwHwYDVR0jBBgwFoAU8qfrNDM0KplgIAiGXooVEYBNh9MwCgYI
            KoZIzj0EAwIDSQAwRgIhALOWwZ4x1DilVbN/KaTjq08+Xnf5DlCWACHMq6zVYmVW
            AiEAy8GyMRo3iwmH5rlRnIj6w6ifNEnTj1aUUeQFU9Iy0EI=
            -----END CERTIFICATE-----
            """;

    public static final String SERVER_KEY = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgILc4SeSKH4TFpG87
            RjpGo2+Jzd+qX9iHt7hWzSAaJb2hRANCAATq0QJu7uCNR+x10cLlcwSEH+dZMQTM
            cjDT9gBgrK2BCR51maDQpo+v1/0PQRUyVurRSiCuV60N5Ilqf0JDIKFO
            -----END PRIVATE KEY-----
            """;

    public static final String CLIENT_CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBjTCCATKgAwIBAgICEAIwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPamNhc3lu
            YyB0ZXN0IENBMCAXDTAwMDEwMTAwMDAwMFoYDzIwOTkxMjMxMjM1OTU5WjAeMRww
            GgYDVQQDDBNqY2FzeW5jIHRlc3QgY2xpZW50MFkwEwYHKoZIzj0CAQYIKoZIzj0D
            AQcDQgAEbQA105gnfSM7ig6MIKykq/7nbionC4SxEHo3gxoW2fUg5Sodnvukc/cA
            hJKgE/uNe0Pajyq6QSu+ym2lffK+W6NiMGAwCQYDVR0TBAIwADATBgNVHSUEDDAK
            BggrBgEFBQcDAjAdBgNVHQ4EFgQUKneTc+1B3pAJ2FAeQu5DMSsiMrMwHwYDVR0j
            BBgwFoAU8qfrNDM0KplgIAiGXooVEYBNh9MwCgYIKoZIzj0EAwIDSQAwRgIhAIPG
            4Npz+51vvt82wz3AnCuMsXSjgLTHBBixm+j289/5AiEA1mNkB5k8tuTKp5pP8c+B
            TZWlrs3Xo+K7jjUmZk/WhbA=
            -----END CERTIFICATE-----
            """;

    public static final String CLIENT_KEY = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgUo+80cuR+U0aZuFh
            A7FugcDIhLGNFdzgsn5NEf6jjbihRANCAARtADXTmCd9IzuKDowgrKSr/uduKicL
            hLEQejeDGhbZ9SDlKh2e+6Rz9wCEkqAT+417Q9qPKrpBK77KbaV98r5b
            -----END PRIVATE KEY-----
            """;

    private TestCerts() {}

    public static Path write(Path dir, String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem);
    }
}
