package io.gangway.core.upstream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** TLS to HTTPS upstream proxies: the JDK's trusted CAs, or those of {@code --upstream-ca}; the proxy's name is verified. */
final class UpstreamTls {

    private UpstreamTls() {
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
