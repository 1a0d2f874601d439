package io.gangway.core.http;

import io.gangway.core.relay.Relay;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.core.upstream.UpstreamConnector;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a client connection and its upstream connection into a raw byte relay, after a CONNECT's
 * 2xx or a 101: the HTTP handlers leave both pipelines, in an order that keeps every byte and
 * keeps bytes in order.
 */
final class ClientHandlerSwitch {

    private ClientHandlerSwitch() {
    }

    /**
     * @param fromClient   bytes the client sent before the switch, for the upstream
     * @param fromUpstream bytes the upstream sent before the switch, for the client
     */
    static Relay toRelay(ChannelHandlerContext clientCtx, ClientHandler client, UpstreamConnection upstream,
                         List<ByteBuf> fromClient, List<ByteBuf> fromUpstream, Consumer<Relay> onClosed) {
        // Order matters: an HTTP encoder throws on raw bytes, and a decoder hands what it still
        // holds to the next handler when removed, so each codec goes once the relay can take its
        // bytes and before raw bytes are written through it.
        clientCtx.pipeline().remove(RequestHeadTimeout.class);
        client.handedOver();
        Channel up = upstream.channel();
        upstream.detach();
        // Raw bytes may reach the upstream before its codec goes: let its encoder pass them.
        up.pipeline().get(HttpClientCodec.class).prepareUpgradeFrom(null);
        up.pipeline().remove(UpstreamConnector.TIMEOUT);
        up.pipeline().remove(UpstreamConnector.HANDLER);

        Relay relay = Relay.bridge(clientCtx.channel(), up, onClosed);
        // Leftover client bytes (possible after a 101) go through the upstream encoder.
        clientCtx.pipeline().remove(HttpServerCodec.class);
        for (ByteBuf bytes : fromUpstream) {
            relay.forward(bytes, false);
        }
        up.pipeline().remove(UpstreamConnector.CODEC);
        for (ByteBuf bytes : fromClient) {
            relay.forward(bytes, true);
        }
        return relay;
    }
}
