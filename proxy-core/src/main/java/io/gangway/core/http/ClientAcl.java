package io.gangway.core.http;

import io.gangway.routing.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Which clients may use the proxy. With no ranges configured: loopback clients only. With
 * ranges: exactly those (list 127.0.0.1/32 too when local programs share a gateway listener),
 * so that the rule is the same whatever address a listener is bound to.
 */
public final class ClientAcl {

    private final List<Cidr> allowed;

    public ClientAcl(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    public boolean allows(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        InetAddress address = inet.getAddress();
        if (allowed.isEmpty()) {
            return address.isLoopbackAddress();
        }
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
