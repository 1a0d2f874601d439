package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.LeakWatch;
import io.gangway.core.config.PortSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The pieces of transparent mode that need no kernel redirection: naming, targets, ports. */
class TransparentPiecesTest {

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    /** A real ClientHello, as a TLS client library writes it for this server name. */
    private static ByteBuf clientHello(String serverName) throws Exception {
        SslContext context = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, serverName, 443);
        engine.setUseClientMode(true);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(java.nio.ByteBuffer.allocate(0), out);
        out.flip();
        return Unpooled.wrappedBuffer(out);
    }

    private static String peek(ByteBuf input, List<ByteBuf> passedOn) {
        AtomicReference<String> name = new AtomicReference<>("(not called)");
        EmbeddedChannel channel = new EmbeddedChannel(new SniPeek(10_000, name::set));
        channel.writeInbound(input);
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            passedOn.add((ByteBuf) msg);
        }
        assertThat(channel.pipeline().get(SniPeek.class)).as("steps aside").isNull();
        channel.finishAndReleaseAll();
        return name.get();
    }

    @Test
    void theServerNameIsReadAndTheClientHelloGoesOnUntouched() throws Exception {
        ByteBuf hello = clientHello("registry.corp.example");
        byte[] sent = new byte[hello.readableBytes()];
        hello.getBytes(hello.readerIndex(), sent);
        List<ByteBuf> passedOn = new ArrayList<>();
        assertThat(peek(hello, passedOn)).isEqualTo("registry.corp.example");
        ByteBuf all = Unpooled.wrappedBuffer(passedOn.toArray(new ByteBuf[0]));
        byte[] got = new byte[all.readableBytes()];
        all.readBytes(got);
        all.release();
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void somethingThatIsNotTlsHasNoNameAndIsPassedOn() {
        List<ByteBuf> passedOn = new ArrayList<>();
        assertThat(peek(Unpooled.copiedBuffer("SSH-2.0-OpenSSH_9.2\r\n", StandardCharsets.US_ASCII), passedOn)).isNull();
        assertThat(passedOn.stream().mapToInt(ByteBuf::readableBytes).sum()).isEqualTo(21);
        passedOn.forEach(ByteBuf::release);
    }

    @Test
    void aRedirectedHttpRequestIsNamedByItsHostAndGoesDirectToWhereItWasGoing() {
        InetSocketAddress dst = new InetSocketAddress("198.19.1.2", 80);
        RequestTarget t = RequestTarget.transparent("/index.html?q=1", "origin.test", dst);
        assertThat(t.target().host()).isEqualTo("origin.test");
        assertThat(t.target().url()).as("as Docker Desktop passes it to a PAC").isEqualTo("http://origin.test:80/index.html?q=1");
        assertThat(t.absoluteForm()).isEqualTo("http://origin.test/index.html?q=1");
        assertThat(t.originForm()).isEqualTo("/index.html?q=1");
        assertThat(t.direct().authority()).isEqualTo("198.19.1.2:80");
        RequestTarget noHost = RequestTarget.transparent("/", null, dst);
        assertThat(noHost.target().host()).isEqualTo("198.19.1.2");
    }

    @Test
    void aRedirectedTunnelIsNamedByItsServerNameElseByAddress() {
        InetSocketAddress dst = new InetSocketAddress("198.19.1.2", 443);
        RequestTarget named = RequestTarget.transparentTunnel("origin.test", dst);
        assertThat(named.target().authority()).isEqualTo("origin.test:443");
        assertThat(named.target().url()).isEqualTo("https://origin.test:443/");
        assertThat(named.direct().authority()).isEqualTo("198.19.1.2:443");
        assertThat(RequestTarget.transparentTunnel(null, new InetSocketAddress("198.19.1.2", 5432)).target().authority())
                .isEqualTo("198.19.1.2:5432");
    }

    @Test
    void portSets() {
        assertThat(PortSet.parse("80, 443").contains(443)).isTrue();
        assertThat(PortSet.parse("80,443").contains(22)).isFalse();
        assertThat(PortSet.parse("*").contains(22)).isTrue();
        assertThat(PortSet.parse("443,80")).hasToString("80,443");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PortSet.parse("http")).hasMessageContaining("'http' is not a port");
    }
}
