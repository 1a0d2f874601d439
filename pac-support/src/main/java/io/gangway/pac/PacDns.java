package io.gangway.pac;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution for the PAC helpers. The system resolver in production. */
@FunctionalInterface
public interface PacDns {

    /** The addresses of {@code host}, empty when it does not resolve. May block. */
    List<InetAddress> lookup(String host);

    static PacDns system() {
        return host -> {
            if (host == null || host.isEmpty()) {
                return List.of(); // getAllByName("") would answer with loopback
            }
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException | SecurityException e) {
                return List.of();
            }
        };
    }
}
