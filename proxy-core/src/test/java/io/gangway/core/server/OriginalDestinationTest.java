package io.gangway.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The kernel's sockaddr as getsockopt(SO_ORIGINAL_DST) fills it (the call itself runs in the interop suite). */
class OriginalDestinationTest {

    @Test
    void readsASockaddrIn() {
        byte[] sockaddr = {2, 0, 0x01, (byte) 0xbb, (byte) 198, 19, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(OriginalDestination.parse(sockaddr, true)).isEqualTo(new InetSocketAddress("198.19.1.2", 443));
    }

    @Test
    void readsASockaddrIn6() {
        byte[] sockaddr = new byte[28];
        sockaddr[0] = 10; // AF_INET6
        sockaddr[2] = 0;
        sockaddr[3] = 80;
        sockaddr[8] = 0x20;
        sockaddr[9] = 0x01;
        sockaddr[10] = 0x0d;
        sockaddr[11] = (byte) 0xb8;
        sockaddr[23] = 7;
        assertThat(OriginalDestination.parse(sockaddr, false)).isEqualTo(new InetSocketAddress("2001:db8::7", 80));
    }
}
