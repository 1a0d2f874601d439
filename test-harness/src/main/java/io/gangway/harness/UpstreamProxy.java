package io.gangway.harness;

import io.gangway.harness.audit.TestSecrets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.littleshoot.proxy.HttpFiltersSourceAdapter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.littleshoot.proxy.ActivityTrackerAdapter;
import org.littleshoot.proxy.FlowContext;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.HttpProxyServerBootstrap;
import org.littleshoot.proxy.ProxyAuthenticator;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;
import org.littleshoot.proxy.impl.ThreadPoolConfiguration;

/**
 * A corporate upstream proxy stand-in built on LittleProxy: open, or demanding Basic
 * credentials. Counts what it sees, so tests can assert on connections, requests and logins.
 */
public final class UpstreamProxy implements AutoCloseable {

    private final HttpProxyServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger loginsAccepted = new AtomicInteger();
    private final AtomicInteger loginsRejected = new AtomicInteger();

    private static final AttributeKey<Challenger.ConnectionState> STATE = AttributeKey.valueOf("gangway.challenger");

    private UpstreamProxy(String user, String password) {
        this(user, password, null, 0);
    }

    private UpstreamProxy(String user, String password, Challenger challenger, int port) {
        HttpProxyServerBootstrap bootstrap = DefaultHttpProxyServer.bootstrap()
                .withName("upstream")
                .withAddress(new InetSocketAddress("127.0.0.1", port))
                .withThreadPoolConfiguration(new ThreadPoolConfiguration()
                        .withAcceptorThreads(1).withClientToProxyWorkerThreads(2).withProxyToServerWorkerThreads(2))
                .plusActivityTracker(new ActivityTrackerAdapter() {
                    @Override
                    public void clientConnected(InetSocketAddress clientAddress) {
                        connections.incrementAndGet();
                    }

                    @Override
                    public void requestReceivedFromClient(FlowContext flowContext, HttpRequest httpRequest) {
                        requests.incrementAndGet();
                    }
                });
        if (user != null) {
            bootstrap.withProxyAuthenticator(new ProxyAuthenticator() {
                @Override
                public boolean authenticate(String u, String p) {
                    boolean ok = user.equals(u) && password.equals(p);
                    (ok ? loginsAccepted : loginsRejected).incrementAndGet();
                    return ok;
                }

                @Override
                public String getRealm() {
                    return "corp";
                }
            });
        }
        if (challenger != null) {
            // Transparent, or LittleProxy strips Proxy-Authenticate from filter-made responses.
            bootstrap.withTransparent(true).withFiltersSource(new HttpFiltersSourceAdapter() {
                @Override
                public HttpFilters filterRequest(HttpRequest originalRequest, ChannelHandlerContext ctx) {
                    return new HttpFiltersAdapter(originalRequest, ctx) {
                        @Override
                        public HttpResponse clientToProxyRequest(HttpObject httpObject) {
                            if (!(httpObject instanceof HttpRequest request)) {
                                return null;
                            }
                            Challenger.ConnectionState state = ctx.channel().attr(STATE).setIfAbsent(new Challenger.ConnectionState());
                            if (state == null) {
                                state = ctx.channel().attr(STATE).get();
                            }
                            Challenger.Verdict verdict = challenger.check(request, state);
                            if (verdict instanceof Challenger.Challenge challenge) {
                                return proxyAuthenticationRequired(challenge);
                            }
                            request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
                            return null;
                        }
                    };
                }
            });
        }
        server = bootstrap.start();
    }

    private static HttpResponse proxyAuthenticationRequired(Challenger.Challenge challenge) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, Unpooled.EMPTY_BUFFER);
        for (String value : challenge.proxyAuthenticate()) {
            response.headers().add(HttpHeaderNames.PROXY_AUTHENTICATE, value);
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        return response;
    }

    /** A proxy that asks for nothing. */
    public static UpstreamProxy open() {
        return new UpstreamProxy(null, null);
    }

    /** A proxy whose authentication is the given challenger's (NTLM, Digest, several schemes...). */
    public static UpstreamProxy challenging(Challenger challenger) {
        return new UpstreamProxy(null, null, challenger, 0);
    }

    /** As {@link #challenging(Challenger)}, on a given loopback port: a restarted proxy takes its old port again. */
    public static UpstreamProxy challenging(Challenger challenger, int port) {
        return new UpstreamProxy(null, null, challenger, port);
    }

    /** A proxy that answers 407 Basic until it gets these credentials. */
    public static UpstreamProxy basic(String user, String password) {
        return new UpstreamProxy(user, TestSecrets.record(password));
    }

    public int port() {
        return server.getListenAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, optionally with a user. */
    public String url(String user) {
        return "http://" + (user == null ? "" : user + "@") + "127.0.0.1:" + port();
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Requests (including CONNECTs and those answered 407) received so far. */
    public int requests() {
        return requests.get();
    }

    public int loginsAccepted() {
        return loginsAccepted.get();
    }

    public int loginsRejected() {
        return loginsRejected.get();
    }

    @Override
    public void close() {
        server.abort();
    }
}
