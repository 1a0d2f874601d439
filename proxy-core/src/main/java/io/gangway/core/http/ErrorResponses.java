package io.gangway.core.http;

import io.gangway.core.config.OverloadLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own error responses: a short plain-text body that says what failed and what to
 * check, and a {@code Proxy-Status} header (RFC 9209) that tools can read.
 */
final class ErrorResponses {

    private ErrorResponses() {
    }

    /** RFC 9209 error types used here. */
    enum ProxyError {
        DESTINATION_UNAVAILABLE("destination_unavailable"),
        CONNECTION_TIMEOUT("connection_timeout"),
        CONNECTION_TERMINATED("connection_terminated"),
        CONNECTION_LIMIT_REACHED("connection_limit_reached"),
        HTTP_RESPONSE_TIMEOUT("http_response_timeout"),
        HTTP_REQUEST_ERROR("http_request_error"),
        HTTP_REQUEST_DENIED("http_request_denied"),
        DESTINATION_IP_PROHIBITED("destination_ip_prohibited"),
        HTTP_PROTOCOL_ERROR("http_protocol_error"),
        HTTP_RESPONSE_HEADER_SECTION_SIZE("http_response_header_section_size"),
        PROXY_CONFIGURATION_ERROR("proxy_configuration_error"),
        PROXY_INTERNAL_ERROR("proxy_internal_error");

        final String token;

        ProxyError(String token) {
            this.token = token;
        }
    }

    /**
     * When to try again after a 503 for overload: soon, since connections and tunnels end all the
     * time, and not at once, so that clients that retry at once do not meet the limit again.
     */
    static final int RETRY_AFTER_SECONDS = 2;

    /**
     * A 503 for a limit that was reached: {@code Retry-After}, and the limit named in the
     * {@code Proxy-Status} details. A connection or tunnel limit is {@code connection_limit_reached};
     * too many pipelined requests is a request the configuration refuses.
     */
    static FullHttpResponse overloaded(ByteBufAllocator alloc, OverloadLimit limit, String message) {
        ProxyError error = limit == OverloadLimit.PENDING_REQUESTS ? ProxyError.HTTP_REQUEST_DENIED : ProxyError.CONNECTION_LIMIT_REACHED;
        FullHttpResponse response = create(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, error, message, false);
        response.headers()
                .set("Retry-After", RETRY_AFTER_SECONDS)
                .set("Proxy-Status", "gangway; error=" + error.token + "; details=\"" + limit.key() + "\"");
        return response;
    }

    static FullHttpResponse create(ByteBufAllocator alloc, HttpResponseStatus status, ProxyError error,
                                   String message, boolean keepAlive) {
        ByteBuf body = alloc.buffer();
        body.writeCharSequence("Gangway: " + message + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set("Content-Type", "text/plain; charset=utf-8")
                .set("Content-Length", body.readableBytes())
                .set("Proxy-Status", "gangway; error=" + error.token)
                .set("Connection", keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }
}
