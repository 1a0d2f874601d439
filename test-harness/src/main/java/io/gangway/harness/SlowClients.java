package io.gangway.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many slow-loris clients on real sockets, driven by one thread with NIO: each connects, then
 * sends a request head one byte at a time, one byte per client every {@code interval}, and never
 * finishes it. Nothing is read from them: they only cost the server a connection and a read now
 * and then each.
 */
public final class SlowClients implements AutoCloseable {

    private final List<SocketChannel> channels = new ArrayList<>();
    private final byte[] head;
    private final Duration interval;
    private final AtomicLong sent = new AtomicLong();
    private final Thread dribbler;
    private volatile boolean running = true;
    private volatile IOException failure;

    private SlowClients(byte[] head, Duration interval) {
        this.head = head;
        this.interval = interval;
        this.dribbler = new Thread(this::dribble, "slow-clients");
        this.dribbler.setDaemon(true);
    }

    /**
     * Connects {@code count} clients to {@code port} on loopback (all connected when this returns)
     * and starts dribbling a head that asks for {@code target}, padded so that it never ends.
     */
    public static SlowClients start(int count, int port, String target, Duration interval) throws IOException {
        String text = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "s".repeat(100_000);
        SlowClients clients = new SlowClients(text.getBytes(StandardCharsets.US_ASCII), interval);
        try {
            clients.connectAll(count, port);
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw e;
        }
        clients.dribbler.start();
        return clients;
    }

    private void connectAll(int count, int port) throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // each byte its own segment
                if (!channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                    channel.register(selector, SelectionKey.OP_CONNECT);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!selector.keys().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(selector.keys().size() + " of " + count + " slow clients still not connected after 30 s");
                }
                selector.select(1_000);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((SocketChannel) key.channel()).finishConnect();
                    key.cancel();
                }
                selector.selectedKeys().clear();
                selector.selectNow(); // drops the cancelled keys
            }
        }
    }

    private void dribble() {
        ByteBuffer one = ByteBuffer.allocate(1);
        long intervalNanos = interval.toNanos();
        try {
            for (int position = 0; running && position < head.length; position++) {
                long next = System.nanoTime() + intervalNanos;
                for (SocketChannel channel : channels) {
                    one.clear();
                    one.put(head[position]).flip();
                    sent.addAndGet(channel.write(one));
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (IOException e) {
            failure = e; // a client the server closed: stillOpen() and the failure tell the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes written so far, over all clients. */
    public long bytesSent() {
        return sent.get();
    }

    /** How many clients the server has not closed: one read each, without blocking. */
    public int stillOpen() {
        if (failure != null) {
            throw new UncheckedIOException("a slow client's write failed", failure);
        }
        ByteBuffer probe = ByteBuffer.allocate(1);
        int open = 0;
        for (SocketChannel channel : channels) {
            probe.clear();
            try {
                if (channel.read(probe) == 0) {
                    open++; // nothing to read, and not at its end
                }
            } catch (IOException e) {
                // reset by the server: not open
            }
        }
        return open;
    }

    public int count() {
        return channels.size();
    }

    @Override
    public void close() throws IOException {
        running = false;
        dribbler.interrupt();
        try {
            dribbler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
    }
}
