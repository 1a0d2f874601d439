package io.gangway.core.upstream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManagerFactory;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/** TLS to HTTPS upstream proxies: the JDK's trusted CAs, or those of {@code --upstream-ca}; the proxy's name is verified. */
public final class UpstreamTls {

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
            return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").trustManager(trust(ca)).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS to upstream proxies"
                    + (ca != null ? " with CA file " + ca : "") + ": " + e.getMessage(), e);
        }
    }

    /** Trust in the CA certificates of a PEM file, or the JDK's when {@code ca} is null; for Gangway and its probes. */
    public static TrustManagerFactory trust(Path ca) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (ca == null) {
                tmf.init((KeyStore) null);
                return tmf;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            try (InputStream in = Files.newInputStream(ca)) {
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca" + i++, cert);
                }
            }
            tmf.init(store);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read CA file " + ca + ": " + e.getMessage(), e);
        }
    }
}
