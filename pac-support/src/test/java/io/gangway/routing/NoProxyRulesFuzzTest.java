package io.gangway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the no-proxy grammar ({@code --no-proxy}, {@code NO_PROXY}, OS bypass
 * lists). The input is UTF-8 text: its first line the list, each further line a target
 * {@code host port} to match. A list parses, or fails with an {@link IllegalArgumentException}
 * naming the bad entry; read entry by entry (as an OS lists them) it never fails, and agrees with
 * the whole list where that parses; matching never fails and ignores case, a trailing dot and IPv6
 * brackets, as documented. Seeds: {@code NoProxyRulesFuzzTestInputs/rules/} (lists as curl, Go,
 * Docker, Windows and macOS write them, with their targets).
 */
class NoProxyRulesFuzzTest {

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rules(byte[] input) {
        List<String> lines = Arrays.asList(new String(input, StandardCharsets.UTF_8).split("\n", -1));
        String list = lines.get(0);
        List<String> entries = Arrays.asList(list.split("[,;\\s]+"));
        List<String> skipped = new ArrayList<>();
        NoProxyRules oneByOne = NoProxyRules.parseSkipping(entries, (entry, why) -> skipped.add(entry));
        NoProxyRules whole = null;
        try {
            whole = NoProxyRules.parse(list);
            assertThat(skipped).as("entries the whole list accepted").isEmpty();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(skipped).as("an entry was bad").isNotEmpty();
        }
        for (String line : lines.subList(1, lines.size())) {
            int space = line.lastIndexOf(' ');
            String host = space < 0 ? line : line.substring(0, space);
            int port = space < 0 ? 80 : port(line.substring(space + 1));
            boolean matched = oneByOne.matches(host, port);
            if (whole != null) {
                assertThat(whole.matches(host, port)).as("whole list and entry by entry, " + line).isEqualTo(matched);
            }
            if (host.equals(host.trim()) && !host.endsWith(".") && !host.startsWith("[")) {
                assertThat(oneByOne.matches(host + ".", port)).as("trailing dot, " + line).isEqualTo(matched);
            }
            assertThat(oneByOne.matches(host.toUpperCase(Locale.ROOT), port)).as("case, " + line)
                    .isEqualTo(oneByOne.matches(host.toLowerCase(Locale.ROOT), port));
            if (host.indexOf(':') >= 0 && !host.startsWith("[") && Cidr.isIpLiteral(host)) { // an IPv6 literal
                assertThat(oneByOne.matches("[" + host + "]", port)).as("brackets, " + line).isEqualTo(matched);
            }
        }
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
