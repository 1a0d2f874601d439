package io.gangway.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Real HTTP clients pointed at a proxy, trusting the test origins' self-signed certificates:
 * Apache HttpClient 5 and the JDK's HttpClient (which also needs the system property
 * {@code jdk.internal.httpclient.disableHostnameVerification}, set by the test build).
 */
public final class ProxiedClients {

    private ProxiedClients() {
    }

    public static CloseableHttpClient apache(int proxyPort) {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(trustAll(),
                        HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(10)).setSocketTimeout(Timeout.ofSeconds(30)).build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setProxy(new HttpHost("127.0.0.1", proxyPort))
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build())
                .disableAutomaticRetries()
                .build();
    }

    /** Executes a request and returns its status, reading and discarding the body. */
    public static int status(CloseableHttpClient client, ClassicHttpRequest request) throws IOException {
        return client.execute(request, r -> {
            EntityUtils.consume(r.getEntity());
            return r.getCode();
        });
    }

    /** Executes a request and returns its body as text. */
    public static String text(CloseableHttpClient client, ClassicHttpRequest request) throws IOException {
        return client.execute(request, r -> r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity()));
    }

    public static HttpClient jdk(int proxyPort) {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .sslContext(trustAll())
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
