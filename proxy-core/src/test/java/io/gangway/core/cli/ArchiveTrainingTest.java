package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.AccessLogCapture;
import io.gangway.core.RunningGangway;
import io.gangway.core.config.ConfigKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The launcher's training client runs to its end through a real Gangway: every exchange it means to make is served. */
class ArchiveTrainingTest {

    @Test
    void itsRequestsAndTunnelAreServedAndItEnds() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ROUTING, "direct").start();
             AccessLogCapture logs = new AccessLogCapture()) {
            ArchiveTraining.main(new String[] {Integer.toString(gangway.port())});

            assertThat(logs.awaitAccessLines("status=200", 3)).hasSize(3)
                    .anySatisfy(line -> assertThat(line).startsWith("127.0.0.1:").contains("CONNECT 127.0.0.1:"))
                    .filteredOn(line -> line.contains(" GET ")).hasSize(2);
            assertThat(logs.awaitAccessLines("GET http://127.0.0.1:1/", 1)).singleElement().asString().contains("status=502");
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }
}
