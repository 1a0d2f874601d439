package io.gangway.harness.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;

/**
 * The ledger of the secrets tests hand to Gangway or to the peers that check them: each one is
 * appended (base64, so the ledger itself is no plain match) to the file named by the system
 * property {@value #LEDGER_PROPERTY}, which the build sets per module. {@link SecretAudit} then
 * looks for every form of each in everything the suite wrote. A secret too short to be looked for
 * without false matches is refused, so that no test slips past the audit with "pw".
 */
public final class TestSecrets {

    public static final String LEDGER_PROPERTY = "gangway.test-secrets";
    /** The ledger's file name in each module's build directory. */
    public static final String LEDGER_NAME = "test-secrets.ledger";
    public static final int MIN_LENGTH = 8;

    private TestSecrets() {
    }

    /** Notes {@code secret}; returns it, to wrap a constant or argument where it is used. */
    public static String record(String secret) {
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a test secret must have at least " + MIN_LENGTH + " characters, so that "
                    + "the suite's secret audit can look for it in every log: give this test a longer one");
        }
        String ledger = System.getProperty(LEDGER_PROPERTY);
        if (ledger != null) {
            String line = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)) + "\n";
            try {
                // One short append per secret: the forks of a module may write at once.
                Files.writeString(Path.of(ledger), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot note a test secret in " + ledger, e);
            }
        }
        return secret;
    }

    /** The secrets of a ledger file. */
    public static List<String> read(Path ledger) throws IOException {
        return Files.readAllLines(ledger, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(l -> new String(Base64.getDecoder().decode(l.strip()), StandardCharsets.UTF_8)).distinct().toList();
    }
}
