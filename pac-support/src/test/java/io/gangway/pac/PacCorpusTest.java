package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each {@code corpus/X.pac} answers each line {@code URL : RESULT} of {@code corpus/X.expect}
 * with exactly that raw string (the host is the URL's, as pactester passes it). Comment lines
 * {@code # myip: ...} and {@code # time: ...} set the world for the lines after them.
 */
class PacCorpusTest {

    @TestFactory
    Stream<DynamicTest> corpusAnswersAsExpected() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(PacFixtures.ROOT.resolve("corpus"))) {
            for (Path pac : files.filter(p -> p.toString().endsWith(".pac")).sorted().toList()) {
                String name = pac.getFileName().toString();
                String expect = PacFixtures.read("corpus/" + name.replace(".pac", ".expect"));
                String myIp = "10.20.5.6";
                Instant now = Instant.parse("2026-11-25T10:15:30Z");
                int lineNo = 0;
                for (String line : expect.split("\n")) {
                    lineNo++;
                    if (line.startsWith("# myip:")) {
                        myIp = line.substring(7).trim();
                    } else if (line.startsWith("# time:")) {
                        now = Instant.parse(line.substring(7).trim());
                    } else if (!line.isBlank() && !line.startsWith("#")) {
                        int sep = line.indexOf(" : ");
                        String url = line.substring(0, sep);
                        String expected = line.substring(sep + 3);
                        PacEnvironment env = PacFixtures.env(myIp, now);
                        tests.add(DynamicTest.dynamicTest(name + ":" + lineNo + " " + url, () -> {
                            PacScript script = PacScript.compile(PacFixtures.read("corpus/" + name), name, env);
                            assertThat(script.findProxy(url, URI.create(url).getHost())).isEqualTo(expected);
                        }));
                    }
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(30);
        return tests.stream();
    }
}
