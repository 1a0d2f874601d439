package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.clientauth.PasswordHash;
import io.gangway.core.config.ConfigKey;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GangwayCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(GangwayCli.commandLine(), args);
    }

    @Test
    void runHelpListsEverySettingWithItsEnvironmentVariable() {
        CliRun r = run("run", "--help");
        assertThat(r.exit()).isZero();
        for (ConfigKey<?> key : ConfigKey.values()) {
            assertThat(r.out()).contains(key.flag()).contains(key.envName());
        }
        assertThat(r.out()).contains("--config").contains("GANGWAY_PASSWORD");
    }

    @Test
    void versionNamesTheReleaseTheCommitTheBuildTimeAndTheJava() {
        CliRun r = run("--version");
        assertThat(r.exit()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(4);
        // the build filled them in: the project's version, the clone's commit (none in a tree
        // without .git, such as a source archive), the build's time
        assertThat(lines[0]).matches("gangway \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(lines[1]).matches(java.nio.file.Files.exists(java.nio.file.Path.of("../.git"))
                ? "commit [0-9a-f]{7,}(-dirty)?" : "commit unknown");
        assertThat(java.time.OffsetDateTime.parse(lines[2].substring("built ".length())))
                .isBefore(java.time.OffsetDateTime.now().plusMinutes(1));
        assertThat(lines[3]).startsWith("java " + Runtime.version()).contains(System.getProperty("java.vendor"));
    }

    @Test
    void topLevelHelpNamesTheRunCommand() {
        CliRun r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("run");
    }

    @Test
    void hashPrintsTheNtHashOfThePasswordOnStandardInput() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("Password\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            CliRun r = run("hash");
            assertThat(r.exit()).isZero();
            // MD4(UTF-16LE("Password")), the known value from MS-NLMP 4.2.2.1.2
            assertThat(r.out().trim()).isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void hashForAClientPrintsAFileEntryThatVerifiesThePassword() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("Client-Pa55\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            CliRun r = run("hash", "--client", "alice");
            assertThat(r.exit()).isZero();
            String line = r.out().trim();
            assertThat(line).startsWith("alice:$pbkdf2-sha256$600000$").doesNotContain("Client-Pa55");
            PasswordHash hash = PasswordHash.parse(line.substring("alice:".length()));
            assertThat(hash.matches("Client-Pa55".toCharArray())).isTrue();
            assertThat(hash.matches("client-pa55".toCharArray())).isFalse();
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void hashForAClientRefusesAUserNameTheFileCannotHold() {
        CliRun r = run("hash", "--client", "alice:secret");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--client: a user name may not hold a colon").doesNotContain("secret");
    }

    @Test
    void anOpenProxyIsRefusedAtStartWithExitCode2() {
        CliRun r = run("run", "--listen", "0.0.0.0:0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--listen").contains("open proxy");
    }

    @Test
    void badFlagValuesAreExplained() {
        CliRun r = run("run", "--connect-timeout", "later");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--connect-timeout").contains("duration");
    }

    @Test
    void aBindFailureNamesTheAddressAndWhy() {
        // 198.18.250.250 is on no interface of this machine (the benchmarking range, unused here)
        CliRun r = run("run", "--listen", "198.18.250.250:3128", "--allow", "198.18.0.0/15", "--routing", "direct");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot listen on 198.18.250.250:3128: no interface of this machine has the address");
    }
}
