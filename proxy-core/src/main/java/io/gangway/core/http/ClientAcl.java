package io.gangway.core.http;

import io.gangway.routing.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Which clients may use the proxy: loopback always (the host's own programs), and the
 * configured ranges. With no ranges, only loopback clients can reach a loopback listener anyway.
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
        if (address.isLoopbackAddress()) {
            return true;
        }
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
