package io.gangway.core.clientauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The client-auth file's hash format, against values made by another PBKDF2 (Python's hashlib). */
class PasswordHashTest {

    // hashlib.pbkdf2_hmac('sha256', pw.encode('utf-8'), bytes(range(16)), 10000, 32), base64 without padding
    private static final String CORRECT_HORSE = "$pbkdf2-sha256$10000$AAECAwQFBgcICQoLDA0ODw$5RUHDgNTp9sBOWGYS4e6u57cz/Sq3/TQgaDP/8MW6L8";
    private static final String PASSWORD_UTF8 = "$pbkdf2-sha256$10000$AAECAwQFBgcICQoLDA0ODw$KLMvGf4R1TBSyn7huBjT4GDghp5G4+Ww7woo5WsBalo";

    @Test
    void aHashMadeElsewhereVerifiesItsPasswordOnly() {
        PasswordHash hash = PasswordHash.parse(CORRECT_HORSE);
        assertThat(hash.iterations()).isEqualTo(10_000);
        assertThat(hash.matches("correct horse".toCharArray())).isTrue();
        assertThat(hash.matches("Correct horse".toCharArray())).isFalse();
        assertThat(hash.matches("correct horse ".toCharArray())).isFalse();
    }

    @Test
    void passwordsAreHashedAsUtf8() {
        assertThat(PasswordHash.parse(PASSWORD_UTF8).matches("pässwörd".toCharArray())).isTrue();
    }

    @Test
    void aNewHashHasARandomSaltAndReadsBack() {
        SecureRandom random = new SecureRandom();
        PasswordHash a = PasswordHash.create("s3cret".toCharArray(), 10_000, random);
        PasswordHash b = PasswordHash.create("s3cret".toCharArray(), 10_000, random);
        assertThat(a.salt()).hasSize(16).isNotEqualTo(b.salt());
        assertThat(a.format()).matches("\\$pbkdf2-sha256\\$10000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHash.parse(a.format())).isEqualTo(a);
        assertThat(PasswordHash.parse(a.format()).matches("s3cret".toCharArray())).isTrue();
        assertThat(a.toString()).doesNotContain(a.format().split("\\$")[4]);
    }

    @Test
    void malformedHashesAreExplainedWithoutRepeatingThem() {
        String hashPart = CORRECT_HORSE.split("\\$")[4];
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha1$10000$AAEC$" + hashPart))
                .hasMessageContaining("expected $pbkdf2-sha256$ITERATIONS$SALT$HASH").hasMessageNotContaining(hashPart);
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$10000$" + hashPart))
                .hasMessageContaining("three $-separated fields").hasMessageNotContaining(hashPart);
        assertThatThrownBy(() -> PasswordHash.parse(CORRECT_HORSE.replace("$10000$", "$1000$")))
                .hasMessageContaining("iteration count 1000 is outside 10000..");
        assertThatThrownBy(() -> PasswordHash.parse(CORRECT_HORSE.replace("$10000$", "$many$")))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> PasswordHash.parse(CORRECT_HORSE.replace(hashPart, "%%%" + hashPart)))
                .hasMessageContaining("hash is not base64").hasMessageNotContaining(hashPart);
        assertThatThrownBy(() -> PasswordHash.parse(CORRECT_HORSE.replace(hashPart, hashPart.substring(4))))
                .hasMessageContaining("instead of 32");
    }
}
