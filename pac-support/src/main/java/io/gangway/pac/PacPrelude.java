package io.gangway.pac;

/**
 * The helpers whose browser behaviour is plain JavaScript's, written as JavaScript so that odd
 * arguments fare as they do in Chrome and Firefox (which share these definitions): a missing
 * host is a TypeError ({@code dnsDomainIs()}), a number is no domain ({@code dnsDomainIs(1, ".a")}
 * is false), comparisons are case-sensitive. They call the native {@code dnsResolve} and
 * {@code dnsResolveEx}, so {@code isInNet(null, ...)} and {@code isResolvable(1)} make no lookup.
 */
final class PacPrelude {

    private PacPrelude() {
    }

    static final String SOURCE = """
            function dnsDomainIs(host, domain) {
                return host.length >= domain.length && host.substring(host.length - domain.length) == domain;
            }
            function dnsDomainLevels(host) {
                return host.split('.').length - 1;
            }
            function localHostOrDomainIs(host, hostdom) {
                return host == hostdom || hostdom.lastIndexOf(host + '.', 0) == 0;
            }
            function isValidIpAddress(text) {
                var parts = /^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$/.exec(text);
                if (parts == null) {
                    return false;
                }
                for (var i = 1; i <= 4; i++) {
                    if (parts[i] > 255) {
                        return false;
                    }
                }
                return true;
            }
            function convert_addr(text) {
                var b = text.split('.');
                return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            }
            function isInNet(host, pattern, mask) {
                if (!isValidIpAddress(pattern) || !isValidIpAddress(mask)) {
                    return false;
                }
                if (!isValidIpAddress(host)) {
                    host = dnsResolve(host);
                    if (host == null) {
                        return false;
                    }
                }
                return (convert_addr(host) & convert_addr(mask)) == (convert_addr(pattern) & convert_addr(mask));
            }
            function isResolvable(host) {
                return dnsResolve(host) != null;
            }
            function isResolvableEx(host) {
                return dnsResolveEx(host) != '';
            }
            """;
}
