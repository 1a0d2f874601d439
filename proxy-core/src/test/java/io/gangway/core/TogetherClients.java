package io.gangway.core;

import io.gangway.harness.ProxiedClients;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Clients that start together: each on a connection of its own, released at once, to find races. */
final class TogetherClients {

    private TogetherClients() {
    }

    /**
     * {@code clients} GETs, client {@code i} through the proxy port {@code ports[i % ports.size()]}
     * for {@code url.apply(i)}, released together; their answers as "STATUS BODY", in order.
     */
    static List<String> get(List<Integer> ports, int clients, IntFunction<String> url) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int port = ports.get(i % ports.size());
                String target = url.apply(i);
                answers.add(pool.submit(() -> {
                    try (CloseableHttpClient client = ProxiedClients.apache(port)) {
                        ready.countDown();
                        go.await();
                        return client.execute(new HttpGet(target), r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
                    }
                }));
            }
            ready.await();
            go.countDown();
            List<String> out = new ArrayList<>();
            for (Future<String> answer : answers) {
                out.add(answer.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
