package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GangwayCliTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cli = GangwayCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void runHelpListsEverySettingWithItsEnvironmentVariable() {
        Result r = run("run", "--help");
        assertThat(r.exit()).isZero();
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(r.out()).contains(key.flag()).contains(key.envName());
        }
        assertThat(r.out()).contains("--config").contains("GANGWAY_PASSWORD");
    }

    @Test
    void topLevelHelpNamesTheRunCommand() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("run");
    }

    @Test
    void hashPrintsTheNtHashOfThePasswordOnStandardInput() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("Password\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Result r = run("hash");
            assertThat(r.exit()).isZero();
            // MD4(UTF-16LE("Password")), the known value from MS-NLMP 4.2.2.1.2
            assertThat(r.out().trim()).isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void anOpenProxyIsRefusedAtStartWithExitCode2() {
        Result r = run("run", "--listen", "0.0.0.0:0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--listen").contains("open proxy");
    }

    @Test
    void badFlagValuesAreExplained() {
        Result r = run("run", "--connect-timeout", "later");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--connect-timeout").contains("duration");
    }
}
