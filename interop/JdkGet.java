import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The JDK's HttpClient through a proxy: prints "STATUS BYTES" for each URL. Run: java JdkGet.java PORT URL... */
public class JdkGet {
    public static void main(String[] args) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]))))
                .sslContext(trustAll).version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 1; i < args.length; i++) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(args[i])).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            System.out.println(r.statusCode() + " " + r.body().length);
        }
    }
}
