package io.gangway.core.upstream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/** TLS to HTTPS upstream proxies: the JDK's trusted CAs, or those of {@code --upstream-ca}; the proxy's name is verified. */
final class UpstreamTls {

    private UpstreamTls() {
    }

    /**
     * The context, made on first use; made now when a CA file is configured, so that a bad file
     * stops the start rather than the first request.
     */
    static Supplier<SslContext> lazyContext(Path ca) {
        if (ca != null) {
            SslContext context = context(ca);
            return () -> context;
        }
        return new Supplier<>() {
            private volatile SslContext context;

            @Override
            public SslContext get() {
                SslContext c = context;
                if (c == null) {
                    synchronized (this) {
                        c = context;
                        if (c == null) {
                            context = c = context(null);
                        }
                    }
                }
                return c;
            }
        };
    }

    static SslContext context(Path ca) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (ca != null) {
                builder.trustManager(ca.toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS to upstream proxies"
                    + (ca != null ? " with CA file " + ca : "") + ": " + e.getMessage(), e);
        }
    }
}
