package io.gangway.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this Gangway is: its version, the git commit it was built from (with "-dirty" when the
 * work tree had changes), when it was built, and the Java it runs on. Read from the
 * {@code build.properties} the build writes; a value the build could not fill in (no git
 * directory, run from an IDE's classes) is "unknown".
 */
public record BuildInfo(String version, String commit, String built, String java) {

    private static final BuildInfo CURRENT = read();

    public static BuildInfo current() {
        return CURRENT;
    }

    /** One line: {@code gangway 0.1.0 (commit 1a2b3c4, built 2026-12-02T18:00:00Z) on Java 17.0.15 (Debian)}. */
    public String describe() {
        return "gangway " + version + " (commit " + commit + ", built " + built + ") on Java " + java;
    }

    private static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a jar that cannot be read would not have started: treated as not filled in
        }
        String commit = value(p, "commit");
        if (!commit.equals("unknown") && Boolean.parseBoolean(p.getProperty("dirty"))) {
            commit += "-dirty";
        }
        String java = Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
        return new BuildInfo(value(p, "version"), commit, value(p, "built"), java);
    }

    /** The property, or "unknown" when missing or left unfilled ("${...}"). */
    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").strip();
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
