package io.gangway.pac;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.util.Timeout;

/**
 * Reads a PAC from a file path, a {@code file:}, {@code http(s):} or {@code data:} URL. HTTP is
 * fetched DIRECT (the PAC is what says which proxy to use), with conditional requests so a
 * refresh of an unchanged PAC costs a 304. Not thread-safe; one per source.
 */
public final class PacLoader implements PacSource {

    /** Larger than any real PAC (the biggest corporate ones are a few hundred KiB). */
    static final int MAX_BYTES = 8 << 20;

    /** What a load found: new text, or nothing new ({@code text} null) since the last load. */
    public record Loaded(String text, String location) {
        public boolean changed() {
            return text != null;
        }
    }

    private final String location;
    private final Duration timeout;
    private CloseableHttpClient http;
    private String etag;
    private String lastModified;
    private long fileStamp = -1;
    private boolean dataRead;

    private final PacDns dns;

    public PacLoader(String location, Duration timeout) {
        this(location, timeout, PacDns.system());
    }

    /** With the resolver that finds the PAC server's address (WPAD shares its own). */
    PacLoader(String location, Duration timeout, PacDns dns) {
        this.location = location.trim();
        this.timeout = timeout;
        this.dns = dns;
    }

    @Override
    public String location() {
        return location;
    }

    public boolean isRemote() {
        String l = location.toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    @Override
    public Loaded load() throws PacException {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            boolean first = !dataRead;
            dataRead = true;
            return new Loaded(first ? dataUrl(location) : null, "data: URL"); // a data: URL never changes
        }
        if (isRemote()) {
            return fetch();
        }
        return file(lower.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location));
    }

    private Loaded file(Path path) throws PacException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            long stamp = attributes.lastModifiedTime().toMillis() ^ attributes.size();
            if (stamp == fileStamp) {
                return new Loaded(null, path.toString());
            }
            if (attributes.size() > MAX_BYTES) {
                throw new PacException("PAC file " + path + " is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            String text = PacText.decode(Files.readAllBytes(path), null);
            fileStamp = stamp;
            return new Loaded(text, path.toString());
        } catch (NoSuchFileException e) {
            throw new PacException("PAC file " + path + " does not exist");
        } catch (IOException e) {
            throw new PacException("cannot read PAC file " + path + ": " + e.getMessage());
        }
    }

    private Loaded fetch() throws PacException {
        HttpGet get = new HttpGet(location);
        get.addHeader(HttpHeaders.ACCEPT, "application/x-ns-proxy-autoconfig, */*;q=0.5");
        if (etag != null) {
            get.addHeader(HttpHeaders.IF_NONE_MATCH, etag);
        }
        if (lastModified != null) {
            get.addHeader(HttpHeaders.IF_MODIFIED_SINCE, lastModified);
        }
        try {
            return client().execute(get, response -> {
                int status = response.getCode();
                if (status == 304) {
                    return new Loaded(null, location);
                }
                if (status != 200) {
                    throw new IOException("HTTP " + status + " " + response.getReasonPhrase());
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    throw new IOException("HTTP 200 without a body");
                }
                byte[] body = entity.getContent().readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                String text = PacText.decode(body, charset(entity.getContentType()));
                etag = headerValue(response, HttpHeaders.ETAG);
                lastModified = headerValue(response, HttpHeaders.LAST_MODIFIED);
                return new Loaded(text, location);
            });
        } catch (IOException e) {
            throw new PacException("cannot fetch PAC " + location + ": " + describe(e));
        }
    }

    private static String headerValue(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            return ContentType.parse(contentType).getCharset();
        } catch (IllegalArgumentException e) {
            return null; // an unknown charset name: guess from the bytes
        }
    }

    private static String dataUrl(String url) throws PacException {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new PacException("a data: URL needs a ',' before its content");
        }
        String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
        String payload = url.substring(comma + 1);
        Charset charset = null;
        for (String param : meta.split(";")) {
            if (param.startsWith("charset=")) {
                try {
                    charset = Charset.forName(param.substring(8));
                } catch (IllegalArgumentException e) {
                    throw new PacException("unknown charset in data: URL: " + param.substring(8));
                }
            }
        }
        byte[] bytes;
        try {
            bytes = meta.endsWith(";base64") ? Base64.getMimeDecoder().decode(payload)
                    : URLDecoder.decode(payload.replace("+", "%2B"), StandardCharsets.ISO_8859_1)
                            .getBytes(StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            throw new PacException("bad data: URL: " + e.getMessage());
        }
        return PacText.decode(bytes, charset);
    }

    private CloseableHttpClient client() {
        if (http == null) {
            Timeout t = Timeout.of(timeout);
            http = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setDnsResolver(new SystemDefaultDnsResolver() {
                                @Override
                                public InetAddress[] resolve(String host) throws UnknownHostException {
                                    List<InetAddress> all = dns.lookup(host);
                                    if (all.isEmpty()) {
                                        throw new UnknownHostException(host);
                                    }
                                    return all.toArray(InetAddress[]::new);
                                }
                            })
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(t).setSocketTimeout(t).build())
                            .build())
                    .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                    .disableCookieManagement()
                    .disableAuthCaching()
                    .build(); // no proxy: PAC downloads go DIRECT
        }
        return http;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        if (http != null) {
            http.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        }
    }
}
