package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.routing.Target;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void absoluteForm() {
        RequestTarget t = RequestTarget.absolute("http://Example.COM/a/b?x=1#frag");
        assertThat(t.target()).isEqualTo(new Target("http", "example.com", 80, "/a/b?x=1"));
        assertThat(t.target().url()).isEqualTo("http://example.com/a/b?x=1"); // what a PAC sees
        assertThat(t.originForm()).isEqualTo("/a/b?x=1");
        assertThat(t.hostHeader()).isEqualTo("example.com");
        assertThat(t.absoluteForm()).isEqualTo("http://example.com/a/b?x=1");
        assertThat(t.forLog()).isEqualTo("http://example.com/a/b?…");
    }

    @Test
    void portsUserinfoAndIpv6() {
        RequestTarget t = RequestTarget.absolute("http://user:pw@[::1]:8080?q");
        assertThat(t.target()).isEqualTo(new Target("http", "::1", 8080, "/?q"));
        assertThat(t.target().url()).isEqualTo("http://[::1]:8080/?q");
        assertThat(t.originForm()).isEqualTo("/?q");
        assertThat(t.hostHeader()).isEqualTo("[::1]:8080");
        assertThat(t.absoluteForm()).doesNotContain("pw");
        assertThat(RequestTarget.absolute("http://h:80").hostHeader()).isEqualTo("h");
    }

    @Test
    void connectAuthority() {
        RequestTarget t = RequestTarget.connect("registry-1.docker.io:443");
        assertThat(t.target()).isEqualTo(new Target("https", "registry-1.docker.io", 443));
        assertThat(RequestTarget.connect("[2001:db8::1]:443").target().host()).isEqualTo("2001:db8::1");
        assertThatThrownBy(() -> RequestTarget.connect("example.com")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> RequestTarget.connect("example.com:443/x")).hasMessageContaining("host:port");
    }

    @Test
    void whatAProxyCannotServe() {
        assertThatThrownBy(() -> RequestTarget.absolute("/index.html")).hasMessageContaining("this is a proxy");
        assertThatThrownBy(() -> RequestTarget.absolute("https://example.com/")).hasMessageContaining("use CONNECT");
        assertThatThrownBy(() -> RequestTarget.absolute("http:///nohost")).hasMessageContaining("no host");
    }
}
