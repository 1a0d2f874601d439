package io.gangway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import io.gangway.core.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Holding, streaming and replaying a request body, written to {@code EmbeddedChannel}s. */
class RequestBodyTest {

    private final RequestBody body = new RequestBody(8);
    private final EmbeddedChannel first = new EmbeddedChannel();
    private final EmbeddedChannel second = new EmbeddedChannel();

    @AfterEach
    void release() {
        body.release();
        for (EmbeddedChannel channel : new EmbeddedChannel[] {first, second}) {
            channel.flush(); // unflushed writes would fail on close
            written(channel);
        }
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    private static HttpContent part(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private static String written(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            HttpContent part = (HttpContent) msg;
            text.append(part.content().toString(StandardCharsets.US_ASCII)).append(part instanceof LastHttpContent ? "|end" : "|");
            part.release();
        }
        return text.toString();
    }

    @AfterAll
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    @Test
    void partsAreHeldUntilAConnectionTakesThemThenStreamed() {
        body.add(part("ab"), null);
        assertThat(written(first)).isEmpty();
        body.writeTo(first, true);
        body.add(new DefaultLastHttpContent(Unpooled.copiedBuffer("cd", StandardCharsets.US_ASCII)), first);
        first.flush();
        assertThat(written(first)).isEqualTo("ab|cd|end");
        assertThat(body.complete()).isTrue();
        assertThat(body.receivedBytes()).isEqualTo(4);
    }

    @Test
    void whatWentOutIsWrittenAgainFromTheCopies() {
        body.writeTo(first, true);
        body.add(part("abc"), first);
        body.add(new DefaultLastHttpContent(Unpooled.copiedBuffer("de", StandardCharsets.US_ASCII)), first);
        first.flush();
        written(first);
        assertThat(body.replayable()).isTrue();
        body.writeTo(second, true);
        second.flush();
        assertThat(written(second)).isEqualTo("abc|de|end");
    }

    @Test
    void aBodyLargerThanTheReplayBufferCannotGoAgain() {
        body.writeTo(first, true);
        body.add(part("0123456"), first);
        assertThat(body.replayable()).isTrue();
        body.add(part("789"), first); // 10 bytes > 8
        assertThat(body.replayable()).isFalse();
    }

    @Test
    void withoutCopiesABodylessRequestCanStillGoAgain() {
        body.writeTo(first, false);
        body.add(LastHttpContent.EMPTY_LAST_CONTENT, first);
        first.flush();
        assertThat(written(first)).isEqualTo("|end");
        assertThat(body.replayable()).as("nothing of substance went out").isTrue();
        body.writeTo(second, false);
        second.flush();
        assertThat(written(second)).as("the end of the message goes again").isEqualTo("|end");

        RequestBody withBytes = new RequestBody(8);
        withBytes.writeTo(first, false);
        withBytes.add(part("x"), first);
        assertThat(withBytes.replayable()).isFalse();
        withBytes.release();
    }

    @Test
    void droppedCopiesAreReleased() {
        ByteBuf bytes = Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII);
        body.writeTo(first, true);
        body.add(new DefaultHttpContent(bytes), first);
        first.flush();
        written(first);
        assertThat(bytes.refCnt()).as("the copy still holds it").isEqualTo(1);
        body.dropCopies();
        assertThat(bytes.refCnt()).isZero();
    }
}
