package io.gangway.core.clientauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the client-auth file: comments and blank lines, and an error that says where without repeating the line. */
class ClientUsersTest {

    private static final String HASH = "$pbkdf2-sha256$10000$AAECAwQFBgcICQoLDA0ODw$5RUHDgNTp9sBOWGYS4e6u57cz/Sq3/TQgaDP/8MW6L8";

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("clients"), text);
    }

    @Test
    void readsUsersBetweenCommentsAndBlankLines() throws Exception {
        ClientUsers users = ClientUsers.read(file("# who may use the proxy\n\nalice:" + HASH + "\n  bob:" + HASH + "  \n"));
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.hashOf("alice")).isPresent();
        assertThat(users.hashOf("bob").orElseThrow().matches("correct horse".toCharArray())).isTrue();
        assertThat(users.hashOf("carol")).isEmpty();
    }

    @Test
    void aMalformedLineNamesTheFileAndLineButNotItsContent() throws Exception {
        Path plain = file("alice:" + HASH + "\n# next: a password where the hash should be\nbob:Hunter2-plain\n");
        assertThatThrownBy(() -> ClientUsers.read(plain))
                .hasMessageStartingWith(plain + " line 3: expected $pbkdf2-sha256$")
                .hasMessageNotContaining("Hunter2-plain");
        Path noColon = file("Hunter2-alone\n");
        assertThatThrownBy(() -> ClientUsers.read(noColon))
                .hasMessageStartingWith(noColon + " line 1: expected USER:$pbkdf2-sha256$").hasMessageNotContaining("Hunter2");
        Path twice = file("alice:" + HASH + "\nalice:" + HASH + "\n");
        assertThatThrownBy(() -> ClientUsers.read(twice)).hasMessage(twice + " line 2: the user alice is listed twice");
        Path spaced = file("al ice:" + HASH + "\n");
        assertThatThrownBy(() -> ClientUsers.read(spaced)).hasMessageContaining("line 1: a user name may not hold");
    }

    @Test
    void theFileIsASettingLikeTheOthers() throws Exception {
        Path users = file("alice:" + HASH + "\n");
        Path yaml = Files.writeString(dir.resolve("gangway.yaml"), "client-auth-file: " + users + "\n");
        assertThat(ConfigLoader.load(yaml, Map.of(), Map.of()).clientAuth().hashOf("alice")).isPresent();
        assertThat(ConfigLoader.load(null, Map.of("GANGWAY_CLIENT_AUTH_FILE", users.toString()), Map.of()).clientAuth().size())
                .isEqualTo(1);
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).clientAuth()).as("off by default").isNull();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_CLIENT_AUTH_FILE", dir.resolve("none").toString()), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GANGWAY_CLIENT_AUTH_FILE")
                .hasMessageContaining("'client-auth-file': cannot read");
    }

    @Test
    void aFileWithoutUsersOrUnreadableIsAnError() throws Exception {
        Path empty = file("# nobody yet\n");
        assertThatThrownBy(() -> ClientUsers.read(empty)).hasMessageContaining("names no user");
        assertThatThrownBy(() -> ClientUsers.read(dir.resolve("missing"))).hasMessageContaining("cannot read " + dir.resolve("missing"));
    }
}
