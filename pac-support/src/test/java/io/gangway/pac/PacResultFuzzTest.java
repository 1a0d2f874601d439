package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gangway.routing.HostPort;
import io.gangway.routing.Route;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link PacResult#parse}: whatever a PAC script returns (the input,
 * as UTF-8 text), the answer parses without an exception (a bad entry is skipped with a warning),
 * each warning is one log line, no route repeats, and the routes read back the same when written
 * out again. Seeds: {@code PacResultFuzzTestInputs/result/} (answers from the PAC corpus, Docker
 * Desktop's, malformed ones).
 */
class PacResultFuzzTest {

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void result(byte[] input) {
        String raw = new String(input, StandardCharsets.UTF_8);
        PacResult result = PacResult.parse(raw);

        assertThat(result.raw()).isEqualTo(raw);
        assertThat(result.warnings()).allSatisfy(w -> assertThat(w).doesNotContain("\n", "\r"));
        assertThat(new HashSet<>(result.routes())).hasSameSizeAs(result.routes());
        assertThat(PacResult.parse(written(result.routes())).routes()).as("written out and read again")
                .isEqualTo(result.routes());
    }

    /** The routes as a PAC script would return them. */
    private static String written(List<Route> routes) {
        return routes.stream().map(r -> switch (r.kind()) {
            case DIRECT -> "DIRECT";
            case HTTP, REJECT -> "PROXY " + HostPort.format(r.host(), r.port());
            case HTTPS, SOCKS4, SOCKS5 -> r.kind() + " " + HostPort.format(r.host(), r.port());
        }).collect(Collectors.joining("; "));
    }
}
