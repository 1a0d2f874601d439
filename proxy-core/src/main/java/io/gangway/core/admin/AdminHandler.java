package io.gangway.core.admin;

import io.gangway.routing.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints. GET (and HEAD) {@code /health}, {@code /ready}, {@code /metrics},
 * {@code /status}, {@code /} and {@code /proxy.pac}; POST {@code /reload}. Everything else is
 * 404, a wrong method 405 with {@code Allow}. Reload runs off the event loop (it reads files,
 * perhaps a PAC), and its answer is written back on the loop.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final byte[] PAGE = page();
    /** Reloads one at a time, off the event loop (they read files, perhaps a PAC). */
    private static final java.util.concurrent.ExecutorService RELOADS = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gangway-reload");
                t.setDaemon(true);
                return t;
            });

    private final AdminBackend backend;

    AdminHandler(AdminBackend backend) {
        this.backend = backend;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, false, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "malformed request\n", false);
            return;
        }
        String refused = refusedOrigin(request);
        if (refused != null) {
            send(ctx, false, HttpResponseStatus.FORBIDDEN, "text/plain; charset=utf-8", refused + "\n", false);
            return;
        }
        String path = request.uri().split("\\?", 2)[0];
        HttpMethod method = request.method();
        boolean head = method.equals(HttpMethod.HEAD);
        if (path.equals("/reload")) {
            if (!method.equals(HttpMethod.POST)) {
                notAllowed(ctx, method, "POST", keepAlive);
                return;
            }
            ctx.channel().config().setAutoRead(false); // answers stay in order: nothing more is read meanwhile
            RELOADS.execute(() -> {
                ReloadOutcome outcome = backend.reload();
                ctx.executor().execute(() -> {
                    send(ctx, false, outcome.applied() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY,
                            "application/json", StatusJson.of(outcome), keepAlive);
                    ctx.channel().config().setAutoRead(true);
                });
            });
            return;
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            notAllowed(ctx, method, "GET, HEAD", keepAlive);
            return;
        }
        switch (path) {
            case "/health" -> send(ctx, head, HttpResponseStatus.OK, "text/plain; charset=utf-8", "ok\n", keepAlive);
            case "/ready" -> {
                Readiness r = backend.readiness();
                send(ctx, head, r.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "text/plain; charset=utf-8", r.ready() ? "ready\n" : String.join("\n", r.problems()) + "\n", keepAlive);
            }
            case "/metrics" -> send(ctx, head, HttpResponseStatus.OK, PROMETHEUS_TEXT, backend.telemetry().scrape(), keepAlive);
            case "/status" -> send(ctx, head, HttpResponseStatus.OK, "application/json", StatusJson.of(backend.status()),
                    keepAlive);
            case "/" -> send(ctx, head, HttpResponseStatus.OK, "text/html; charset=utf-8", Unpooled.wrappedBuffer(PAGE),
                    keepAlive);
            case "/proxy.pac" -> send(ctx, head, HttpResponseStatus.OK, "application/x-ns-proxy-autoconfig",
                    proxyPac(backend.proxyAddressFor((InetSocketAddress) ctx.channel().localAddress())), keepAlive);
            default -> send(ctx, head, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                    "no such endpoint; try /health, /ready, /metrics, /status, /, /proxy.pac or POST /reload\n", keepAlive);
        }
    }

    /**
     * Why a request is refused for where it says it is going or coming from, or null: a Host that
     * is a name (a page whose name was rebound to 127.0.0.1, or a request a proxy on this host
     * carried), or an Origin of another site (a form on a web page posting to /reload).
     */
    private String refusedOrigin(FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null) {
            String name = hostOf(host);
            if (name == null || !backend.acceptsHost(name)) {
                return "Gangway's admin endpoint answers requests addressed to its IP address or to localhost only, "
                        + "not to '" + host.replaceAll("[^\\x21-\\x7e]", "?") + "'";
            }
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null) {
            String originHost;
            try {
                originHost = java.net.URI.create(origin.trim()).getHost();
            } catch (IllegalArgumentException e) {
                originHost = null;
            }
            if (originHost == null || !backend.acceptsHost(originHost)) {
                return "Gangway's admin endpoint does not answer requests from other sites (Origin)";
            }
        }
        return null;
    }

    /** The host of a Host header, without its port; null when it cannot be read. */
    private static String hostOf(String host) {
        try {
            return HostPort.parse(host, 80).host();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A PAC that sends browsers to this Gangway, and DIRECT should it be down. */
    static String proxyPac(String proxy) {
        return "function FindProxyForURL(url, host) {\n    return \"PROXY " + proxy + "; DIRECT\";\n}\n";
    }

    private static void notAllowed(ChannelHandlerContext ctx, HttpMethod method, String allow, boolean keepAlive) {
        FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                Unpooled.copiedBuffer(method + " is not allowed here; use " + allow + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        write(ctx, method.equals(HttpMethod.HEAD), response, keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, boolean head, HttpResponseStatus status, String type,
                             String body, boolean keepAlive) {
        send(ctx, head, status, type, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, boolean head, HttpResponseStatus status, String type,
                             ByteBuf body, boolean keepAlive) {
        write(ctx, head, response(status, type, body), keepAlive);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        return response;
    }

    private static void write(ChannelHandlerContext ctx, boolean head, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (head) {
            response.content().clear();
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof ReadTimeoutException) && !(cause instanceof IOException)) {
            log.warn("admin endpoint: {}", cause.toString());
        }
        ctx.close();
    }

    private static byte[] page() {
        try (InputStream in = AdminHandler.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
