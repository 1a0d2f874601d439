package io.gangway.core.clientauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.clientauth.ClientVerifier.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's economy: one PBKDF2 per user and password however often a client sends them,
 * none for what cannot be right, and no more than {@link ClientVerifier#MAX_IN_FLIGHT} at once.
 */
class ClientVerifierTest {

    @TempDir
    Path dir;

    private ClientUsers users(String... userAndPassword) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < userAndPassword.length; i += 2) {
            text.append(ClientUsers.entry(userAndPassword[i],
                    PasswordHash.create(userAndPassword[i + 1].toCharArray(), 10_000, new SecureRandom()))).append('\n');
        }
        return ClientUsers.read(Files.writeString(dir.resolve("clients-" + System.nanoTime()), text));
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aClientsRepeatedCredentialsCostOnePbkdf2() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ClientVerifier verifier = new ClientVerifier(users("alice", "Alice-Pa55"), pool);
            for (int i = 0; i < 5; i++) {
                assertThat(verifier.check(basic("alice:Alice-Pa55")).get()).isEqualTo(Verdict.ACCEPTED);
            }
            assertThat(verifier.derivations()).isEqualTo(1);
            CompletableFuture<Verdict> remembered = verifier.check("basic  " + basic("alice:Alice-Pa55").substring(6));
            assertThat(remembered.isDone()).as("answered on the caller's thread").isTrue();
            assertThat(remembered.get()).isEqualTo(Verdict.ACCEPTED);
            assertThat(verifier.check(basic("alice:alice-pa55")).get()).isEqualTo(Verdict.REJECTED);
            assertThat(verifier.check(basic("mallory:Alice-Pa55")).get()).isEqualTo(Verdict.REJECTED);
            assertThat(verifier.derivations()).as("wrong passwords and unknown users cost one each").isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientsSendingTheSameCredentialsAtOnceShareOneVerification() throws Exception {
        HeldExecutor held = new HeldExecutor();
        ClientVerifier verifier = new ClientVerifier(users("alice", "Alice-Pa55"), held);
        List<CompletableFuture<Verdict>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // a browser's six connections
            waiting.add(verifier.check(basic("alice:Alice-Pa55")));
        }
        assertThat(held.waiting()).isEqualTo(1);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        held.runAll();
        for (CompletableFuture<Verdict> f : waiting) {
            assertThat(f.get()).isEqualTo(Verdict.ACCEPTED);
        }
        assertThat(verifier.derivations()).isEqualTo(1);
    }

    @Test
    void aFloodOfWrongPasswordsIsRefusedBeyondTheVerificationsInFlight() throws Exception {
        HeldExecutor held = new HeldExecutor();
        ClientVerifier verifier = new ClientVerifier(users("alice", "Alice-Pa55"), held);
        List<CompletableFuture<Verdict>> first = new ArrayList<>();
        for (int i = 0; i < ClientVerifier.MAX_IN_FLIGHT; i++) {
            first.add(verifier.check(basic("alice:guess-" + i)));
        }
        CompletableFuture<Verdict> beyond = verifier.check(basic("alice:guess-beyond"));
        assertThat(beyond.isDone()).isTrue();
        assertThat(beyond.get()).isEqualTo(Verdict.BUSY);
        assertThat(held.waiting()).isEqualTo(ClientVerifier.MAX_IN_FLIGHT);
        held.runAll();
        for (CompletableFuture<Verdict> f : first) {
            assertThat(f.get()).isEqualTo(Verdict.REJECTED);
        }
        CompletableFuture<Verdict> later = verifier.check(basic("alice:Alice-Pa55"));
        held.runAll();
        assertThat(later.get()).as("the places are free again").isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void whatCannotBeRightIsRejectedWithoutAPbkdf2() throws Exception {
        HeldExecutor held = new HeldExecutor();
        ClientVerifier verifier = new ClientVerifier(users("alice", "Alice-Pa55"), held);
        for (String header : new String[] {null, "", "Bearer abc", "Basic", "Basic %%%", basic("no-colon"), basic("alice:"),
                basic(":Alice-Pa55"), "Basic " + Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xff})}) {
            CompletableFuture<Verdict> verdict = verifier.check(header);
            assertThat(verdict.isDone()).as(String.valueOf(header)).isTrue();
            assertThat(verdict.get()).as(String.valueOf(header)).isEqualTo(Verdict.REJECTED);
        }
        assertThat(held.waiting()).isZero();
    }

    @Test
    void newUsersForgetTheVerifiedClients() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ClientVerifier verifier = new ClientVerifier(users("alice", "Alice-Pa55"), pool);
            assertThat(verifier.check(basic("alice:Alice-Pa55")).get()).isEqualTo(Verdict.ACCEPTED);
            verifier.replace(users("alice", "New-Pa55"));
            assertThat(verifier.check(basic("alice:Alice-Pa55")).get()).isEqualTo(Verdict.REJECTED);
            assertThat(verifier.check(basic("alice:New-Pa55")).get()).isEqualTo(Verdict.ACCEPTED);
        } finally {
            pool.shutdownNow();
        }
    }
}
