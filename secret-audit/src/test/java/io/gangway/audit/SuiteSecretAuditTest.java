package io.gangway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.harness.audit.SecretAudit;
import io.gangway.harness.audit.TestSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No test secret in anything the suite wrote: the test output of every module (Gangway's logs
 * and everything printed, error bodies included where tests print them), its reports and logs.
 * This module is the reactor's last, so it runs after every other module's tests; the secrets
 * are those the tests noted in each module's ledger ({@link TestSecrets}).
 */
class SuiteSecretAuditTest {

    /** The suite notes far more; fewer means the ledgers are not being written. */
    private static final int AT_LEAST_SECRETS = 20;

    private static List<Path> modules() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("..").toAbsolutePath().normalize())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && !d.getFileName().toString().equals("secret-audit"))
                    .sorted().toList();
        }
    }

    @Test
    void noTestSecretInAnythingTheSuiteWrote() throws IOException {
        List<String> secrets = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        for (Path module : modules()) {
            Path target = module.resolve("target");
            Path ledger = target.resolve(TestSecrets.LEDGER_NAME);
            if (Files.exists(ledger)) {
                secrets.addAll(TestSecrets.read(ledger));
            }
            written.add(target.resolve("surefire-reports"));
            written.add(target.resolve("test-state"));
            try (Stream<Path> files = Files.list(target.toFile().isDirectory() ? target : module)) {
                files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".txt")).forEach(written::add);
            }
        }
        List<String> distinct = secrets.stream().distinct().toList();
        assertThat(distinct).as("secrets noted by the suite's tests").hasSizeGreaterThanOrEqualTo(AT_LEAST_SECRETS);

        SecretAudit.Report report = new SecretAudit(distinct).scan(written);
        System.out.println("secret audit: " + report.secrets() + " secrets in " + report.files() + " files, "
                + report.bytes() + " bytes");
        assertThat(report.files()).as("files the suite wrote").isPositive();
        assertThat(report.findings()).as("test secrets in what the suite wrote (file:line, which secret, which form)")
                .isEmpty();
    }
}
