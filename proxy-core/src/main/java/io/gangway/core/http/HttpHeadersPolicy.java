package io.gangway.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * Hop-by-hop header handling (RFC 9110 section 7.6.1): headers that describe one connection are
 * removed before a message crosses the proxy, and a Via entry is added.
 */
final class HttpHeadersPolicy {

    static final String VIA = "1.1 gangway";
    // Canonical case for headers Gangway writes: names are case-insensitive, but some old
    // peers are not, and logs and captures read better.
    static final AsciiString HOST = AsciiString.cached("Host");
    static final AsciiString VIA_NAME = AsciiString.cached("Via");
    static final AsciiString PROXY_AUTHORIZATION = AsciiString.cached("Proxy-Authorization");
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString UPGRADE = AsciiString.cached("Upgrade");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, PROXY_CONNECTION, KEEP_ALIVE, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.PROXY_AUTHENTICATE,
    };

    private HttpHeadersPolicy() {
    }

    /**
     * Strips hop-by-hop headers in place: those of the list below and those named as connection
     * options, except the fields that frame or route the message ({@code Content-Length},
     * {@code Transfer-Encoding}, {@code Host}), which a connection option never removes: the
     * framing of a forwarded message must describe the body that is forwarded. (A request that
     * names them is refused before this, by {@link RequestHeadRules}.) When {@code keepUpgrade}
     * is set (a protocol upgrade crosses the proxy), {@code Upgrade} stays and
     * {@code Connection: upgrade} is restored.
     */
    static void stripHopByHop(HttpHeaders headers, boolean keepUpgrade) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !isFraming(t)) {
                    named.add(t);
                }
            }
        }
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        for (String name : named) {
            headers.remove(name);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        if (keepUpgrade && upgrade != null) {
            headers.set(UPGRADE, upgrade);
            headers.set(CONNECTION, UPGRADE);
        }
    }

    private static boolean isFraming(String name) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }

    /** Whether a request asks to switch protocols (websocket and the like). */
    static boolean isUpgrade(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE, true);
    }

    static void addVia(HttpHeaders headers) {
        headers.add(VIA_NAME, VIA);
    }
}
