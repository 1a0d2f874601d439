package io.gangway.pac;

import io.gangway.routing.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The corpus's fixed world: DNS from {@code pac/hosts.txt}, a given local address and time. */
final class PacFixtures {

    static final Path ROOT = resource("pac");
    private static final Map<String, List<InetAddress>> HOSTS = hosts();

    private PacFixtures() {
    }

    static PacDns dns() {
        return host -> HOSTS.getOrDefault(host.toLowerCase(), List.of());
    }

    static PacEnvironment env(String myIp, Instant now) {
        List<InetAddress> mine = LocalAddresses.of(myIp);
        return new PacEnvironment(dns(), () -> mine, Clock.fixed(now, ZoneOffset.UTC));
    }

    static PacEnvironment env() {
        return env("10.20.5.6", Instant.parse("2026-11-25T10:15:30Z"));
    }

    static String read(String relative) {
        try {
            return PacText.decode(Files.readAllBytes(ROOT.resolve(relative)), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(PacFixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<InetAddress>> hosts() {
        Map<String, List<InetAddress>> out = new HashMap<>();
        for (String line : read("hosts.txt").split("\n")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            List<InetAddress> addresses = new ArrayList<>();
            for (String a : parts[1].split(",")) {
                addresses.add(Cidr.literalAddress(a));
            }
            out.put(parts[0], addresses);
        }
        return out;
    }
}
