package io.gangway.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a request head must be before any of it is forwarded, beyond what Netty's decoder already
 * enforces (strict CRLF lines, one Content-Length, no Content-Length beside Transfer-Encoding,
 * chunked last and once, valid field names and values). The rules here close what the decoder
 * leaves open, each of them a way for two parsers to read one message differently.
 */
final class RequestHeadRules {

    /** A broken rule: the status to answer with and why. */
    record Violation(HttpResponseStatus status, String reason) {
    }

    private static final Map<String, String> FRAMING = Map.of(
            "content-length", "Content-Length", "transfer-encoding", "Transfer-Encoding", "host", "Host");

    private RequestHeadRules() {
    }

    static Optional<Violation> check(HttpRequest request) {
        Optional<Violation> broken = version(request.protocolVersion());
        if (broken.isEmpty()) {
            broken = target(request.uri());
        }
        if (broken.isEmpty()) {
            broken = host(request);
        }
        if (broken.isEmpty()) {
            broken = fieldNames(request);
        }
        if (broken.isEmpty()) {
            broken = connectionOptions(request);
        }
        if (broken.isEmpty()) {
            broken = transferCodings(request);
        }
        return broken;
    }

    /**
     * HTTP/1.1 and 1.0 only (505 for others, RFC 9110 15.6.6). Netty maps exactly "HTTP/1.1"
     * and "HTTP/1.0" to its constants and upper-cases anything else, so another instance with
     * version 1.x was written some other way ("http/1.1"): HTTP-name is case-sensitive.
     */
    private static Optional<Violation> version(HttpVersion version) {
        if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) {
            return Optional.empty();
        }
        if (!version.protocolName().equals("HTTP") || version.majorVersion() == 1 && version.minorVersion() <= 1) {
            return bad("malformed protocol version in the request line");
        }
        return Optional.of(new Violation(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/"
                + version.majorVersion() + "." + version.minorVersion() + " is not supported; Gangway speaks HTTP/1.1 and HTTP/1.0"));
    }

    /**
     * A request-target holds no whitespace, control or non-ASCII characters (RFC 9112 3.2). Netty
     * takes the last word of the line as the version, so "GET /a b HTTP/1.1" would otherwise
     * reach us with a target of "/a b", which RFC 9112 3.2 says not to autocorrect.
     */
    private static Optional<Violation> target(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return bad("the request target holds a character that is not allowed there (a space, a control "
                        + "character or a non-ASCII one): percent-encode it");
            }
        }
        return Optional.empty();
    }

    /**
     * RFC 9112 3.2: 400 for an HTTP/1.1 request without a Host field, and for any request with
     * more than one. (Gangway replaces the value of an absolute-form request's Host with the
     * target's, but two Host fields are a message that two parsers may read differently.)
     */
    private static Optional<Violation> host(HttpRequest request) {
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1) {
            return bad("the request has " + hosts + " Host fields; it may have one");
        }
        if (hosts == 0 && request.protocolVersion() == HttpVersion.HTTP_1_1) {
            return bad("an HTTP/1.1 request needs a Host field (RFC 9112 3.2)");
        }
        return Optional.empty();
    }

    /** {@code Transfer_Encoding} and {@code Content_Length}: some servers read '_' as '-' (rejected as nginx and HAProxy do). */
    private static Optional<Violation> fieldNames(HttpRequest request) {
        for (Map.Entry<String, String> field : request.headers()) {
            String name = field.getKey();
            if (name.indexOf('_') >= 0) {
                String dashed = name.replace('_', '-').toLowerCase(Locale.ROOT);
                if (dashed.equals("content-length") || dashed.equals("transfer-encoding")) {
                    return bad("the header field " + name + " looks like " + FRAMING.get(dashed)
                            + " to some servers; it is not forwarded");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A connection option removes the field it names before forwarding (RFC 9110 7.6.1), and a
     * sender must not list a field meant for every recipient. Listing a framing field would
     * unframe the forwarded body (a body left without its length is a second request to the
     * origin): rejected.
     */
    private static Optional<Violation> connectionOptions(HttpRequest request) {
        for (String value : request.headers().getAll(HttpHeaderNames.CONNECTION)) {
            for (String option : value.split(",")) {
                String named = FRAMING.get(option.trim().toLowerCase(Locale.ROOT));
                if (named != null) {
                    return bad("the connection option " + named + " is not allowed: it names a field that frames "
                            + "or routes the message (RFC 9110 7.6.1)");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The decoder has made sure chunked is the last coding and appears once. Other codings
     * before it (gzip, chunked) would have to be forwarded as they are: Gangway forwards only
     * plain chunked (501, RFC 9112 6.1).
     */
    private static Optional<Violation> transferCodings(HttpRequest request) {
        for (String value : request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String coding : value.split(",")) {
                if (!coding.trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())) {
                    return Optional.of(new Violation(HttpResponseStatus.NOT_IMPLEMENTED, "the transfer coding '"
                            + coding.trim() + "' is not supported; send the body with chunked alone, or a Content-Length"));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> bad(String reason) {
        return Optional.of(new Violation(HttpResponseStatus.BAD_REQUEST, reason));
    }
}
