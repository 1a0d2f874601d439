package io.gangway.pac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {

    @Test
    void detectionNeverOffersLoopbackAndMyIpAddressTakesTheOutwardOne() throws Exception {
        List<InetAddress> detected = LocalAddresses.detect();
        assertThat(detected).noneMatch(InetAddress::isLoopbackAddress).noneMatch(InetAddress::isAnyLocalAddress);
        String mine = PacScript.compile("function FindProxyForURL(u, h) { return myIpAddress(); }", "me",
                PacEnvironment.system()).findProxy("http://x/", "x");
        String expected = detected.stream().filter(a -> a instanceof Inet4Address).findFirst()
                .map(InetAddress::getHostAddress).orElse("127.0.0.1"); // only a machine with no IPv4 interface says 127.0.0.1
        assertThat(mine).isEqualTo(expected);
    }

    @Test
    void anOverrideIsParsedAndABadOneRefused() {
        assertThat(LocalAddresses.of("10.1.2.3; fd00::5")).extracting(InetAddress::getHostAddress)
                .containsExactly("10.1.2.3", "fd00:0:0:0:0:0:0:5");
        assertThatThrownBy(() -> LocalAddresses.of("10.1.2.3;banana")).hasMessageContaining("banana");
    }
}
