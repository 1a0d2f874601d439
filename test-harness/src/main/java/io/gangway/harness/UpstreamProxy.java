package io.gangway.harness;

import io.netty.handler.codec.http.HttpRequest;
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

    private UpstreamProxy(String user, String password) {
        HttpProxyServerBootstrap bootstrap = DefaultHttpProxyServer.bootstrap()
                .withName("upstream")
                .withAddress(new InetSocketAddress("127.0.0.1", 0))
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
        server = bootstrap.start();
    }

    /** A proxy that asks for nothing. */
    public static UpstreamProxy open() {
        return new UpstreamProxy(null, null);
    }

    /** A proxy that answers 407 Basic until it gets these credentials. */
    public static UpstreamProxy basic(String user, String password) {
        return new UpstreamProxy(user, password);
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
