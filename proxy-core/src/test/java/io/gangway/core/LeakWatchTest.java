package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The leak check itself: it fails on a buffer leaked on purpose, and not on released ones. */
class LeakWatchTest {

    @BeforeAll
    static void paranoid() {
        LeakWatch.requireParanoid();
        LeakWatch.assertNoLeaks(); // nothing left over from earlier tests in this JVM
    }

    @Test
    void aBufferDroppedWithoutReleaseFailsTheCheckNamingWhereItWasAllocated() {
        leakOneBuffer();
        assertThatThrownBy(LeakWatch::assertNoLeaks).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ByteBuf leaked").hasMessageContaining("dropped on purpose").hasMessageContaining("leakOneBuffer");
        assertThatCode(LeakWatch::assertNoReports).as("a report fails once").doesNotThrowAnyException();
    }

    @Test
    void releasedBuffersPass() {
        for (int i = 0; i < 100; i++) {
            ByteBuf b = ByteBufAllocator.DEFAULT.buffer(64);
            b.writeInt(i);
            b.release();
            Unpooled.copiedBuffer(new byte[] {1, 2, 3}).release();
        }
        assertThatCode(LeakWatch::assertNoLeaks).doesNotThrowAnyException();
    }

    /** Allocates, touches and drops a buffer: after this method nothing refers to it. */
    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
        leaked.writeLong(42).touch("dropped on purpose by LeakWatchTest");
    }
}
