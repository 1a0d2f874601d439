package io.gangway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.harness.audit.SecretAudit;
import io.gangway.harness.audit.SecretForms;
import io.gangway.harness.audit.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit finds each form of a secret wherever it sits in a file, and names it without repeating it. */
class SecretAuditTest {

    private static final String SECRET = "Plant3d\\Pa55\"w0rd";

    @TempDir
    Path dir;

    private List<SecretAudit.Finding> findings(String content) throws Exception {
        Files.writeString(dir.resolve("out.txt"), "first line\n" + content + "\nlast line\n", StandardCharsets.UTF_8);
        return new SecretAudit(List.of(SECRET)).scan(List.of(dir)).findings();
    }

    @Test
    void findsABasicHeaderWhateverTheUserNamesLength() throws Exception {
        for (String user : List.of("bob", "CORP\\alice", "carol")) {
            String header = "Proxy-Authorization: Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
            assertThat(findings(header)).as(user).singleElement().satisfies(f -> {
                assertThat(f.line()).isEqualTo(2);
                assertThat(f.form()).startsWith("base64");
                assertThat(f.toString()).doesNotContain(SECRET).contains("out.txt:2").contains("#1");
            });
        }
    }

    @Test
    void findsThePlainEscapedAndHashedForms() throws Exception {
        assertThat(findings("password=" + SECRET)).extracting(SecretAudit.Finding::form).contains("as written");
        assertThat(findings("{\"password\":\"" + SECRET.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"))
                .extracting(SecretAudit.Finding::form).containsExactly("JSON-escaped");
        String ntHash = HexFormat.of().withUpperCase().formatHex(SecretForms.ntHash(SECRET));
        assertThat(findings("hash " + ntHash)).extracting(SecretAudit.Finding::form).containsExactly("NT hash, HEX");
        assertThat(findings("url http://u:" + java.net.URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "@h"))
                .extracting(SecretAudit.Finding::form).containsExactly("percent-encoded");
    }

    @Test
    void theNtHashIsNtlmsMd4OfTheUnicodePassword() {
        // MS-NLMP 4.2.2.1.2: NTOWFv1("Password")
        assertThat(HexFormat.of().formatHex(SecretForms.ntHash("Password"))).isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
    }

    @Test
    void aFileWithoutTheSecretHasNoFinding() throws Exception {
        assertThat(findings("Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString("bob:other-password".getBytes())
                + "\nPlant3d Pa55 w0rd")).isEmpty();
    }

    @Test
    void aSecretTooShortToLookForIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSecrets.record("pw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 8");
    }
}
