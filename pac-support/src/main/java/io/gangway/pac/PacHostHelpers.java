package io.gangway.pac;

import io.gangway.routing.Glob;
import java.util.Locale;

/** The Netscape helpers that look only at names: no DNS, no clock. */
final class PacHostHelpers {

    private PacHostHelpers() {
    }

    /** True for a name without dots ({@code "intranet"}); an IPv6 literal is not a plain name. */
    static boolean isPlainHostName(String host) {
        return host.indexOf('.') < 0 && host.indexOf(':') < 0;
    }

    /** True when {@code host} ends with {@code domain} ({@code dnsDomainIs("www.corp.com", ".corp.com")}). */
    static boolean dnsDomainIs(String host, String domain) {
        return host.toLowerCase(Locale.ROOT).endsWith(domain.toLowerCase(Locale.ROOT));
    }

    /** Exact match, or an unqualified {@code host} matching the first label of {@code hostdom}. */
    static boolean localHostOrDomainIs(String host, String hostdom) {
        String h = host.toLowerCase(Locale.ROOT);
        String d = hostdom.toLowerCase(Locale.ROOT);
        return h.equals(d) || (h.indexOf('.') < 0 && d.startsWith(h + "."));
    }

    /** The number of dots in the name. */
    static int dnsDomainLevels(String host) {
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) == '.') {
                dots++;
            }
        }
        return dots;
    }

    /** Shell-expression match of the whole string ({@code *}, {@code ?}; the rest literal). */
    static boolean shExpMatch(String text, String pattern) {
        return Glob.matches(text, pattern);
    }
}
