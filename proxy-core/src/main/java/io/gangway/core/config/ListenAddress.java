package io.gangway.core.config;

import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address to listen on, as {@code host:port} or {@code [v6]:port}. */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) {
        HostPort.Parsed hp = HostPort.parse(text, -1);
        if (hp.port() < 0) {
            throw new IllegalArgumentException("expected ADDR:PORT, such as 127.0.0.1:3128 or [::1]:3128");
        }
        if (hp.host().isEmpty()) {
            throw new IllegalArgumentException("no address before the port; use 0.0.0.0:" + hp.port()
                    + " to listen on every interface (with --allow)");
        }
        return new ListenAddress(hp.host(), hp.port());
    }

    /** Resolves the host; literals and localhost need no DNS. */
    public InetAddress address() throws UnknownHostException {
        return InetAddress.getByName(host);
    }

    public boolean isLoopback() {
        try {
            return address().isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean isLiteral() {
        return Cidr.isIpLiteral(host);
    }

    @Override
    public String toString() {
        return HostPort.format(host, port);
    }
}
