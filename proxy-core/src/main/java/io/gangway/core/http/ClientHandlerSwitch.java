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
        if (clientCtx.pipeline().get(ClientAuthGate.class) != null) {
            clientCtx.pipeline().remove(ClientAuthGate.class); // raw bytes from here: no more requests to check
        }
        Channel up = upstreamToRaw(upstream);
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

    /**
     * Joins a client connection that never spoke HTTP (a published port, a transparent one) to
     * a fresh upstream connection that has not read anything yet.
     */
    static Relay toRelay(Channel client, UpstreamConnection upstream, Consumer<Relay> onClosed) {
        Channel up = upstreamToRaw(upstream);
        Relay relay = Relay.bridge(client, up, onClosed);
        up.pipeline().remove(UpstreamConnector.CODEC);
        return relay;
    }

    /** The upstream's HTTP handlers out but its codec, whose encoder is put in pass-through. */
    private static Channel upstreamToRaw(UpstreamConnection upstream) {
        Channel up = upstream.channel();
        upstream.detach();
        // Raw bytes may reach the upstream before its codec goes: let its encoder pass them.
        up.pipeline().get(HttpClientCodec.class).prepareUpgradeFrom(null);
        up.pipeline().remove(UpstreamConnector.TIMEOUT);
        up.pipeline().remove(UpstreamConnector.HANDLER);
        return up;
    }
}
