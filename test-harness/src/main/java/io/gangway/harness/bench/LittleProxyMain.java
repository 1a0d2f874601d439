package io.gangway.harness.bench;

import java.net.InetSocketAddress;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;

/** An open LittleProxy on a given loopback port, as a benchmark peer: {@code LittleProxyMain PORT}. */
public final class LittleProxyMain {

    private LittleProxyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DefaultHttpProxyServer.bootstrap()
                .withName("bench")
                .withAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))
                .start();
        Thread.currentThread().join();
    }
}
