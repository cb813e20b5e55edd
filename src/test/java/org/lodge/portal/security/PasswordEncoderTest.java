package org.lodge.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

/**
 * The bcrypt cost is a setting (the tests run at 4: pom.xml, profile quick-test-jvm): production's default
 * makes cost-10 hashes, and a hash keeps verifying whatever cost the encoder now makes.
 */
class PasswordEncoderTest {

    private static PasswordEncoder encoder(int strength) {
        return new SecurityConfig().passwordEncoder(strength);
    }

    @Test
    void newHashesAreBcryptAtTheConfiguredCost() {
        String hash = encoder(10).encode("s3cret");
        assertThat(hash).startsWith("{bcrypt}$2a$10$");
        assertThat(encoder(10).matches("s3cret", hash)).isTrue();
        assertThat(encoder(4).encode("s3cret")).startsWith("{bcrypt}$2a$04$");
    }

    @Test
    void hashesOfAnotherCostOrAnotherEncoderStillMatch() {
        String cost10 = "{bcrypt}" + BCrypt.hashpw("s3cret", BCrypt.gensalt(10));
        String pbkdf2 = "{pbkdf2@SpringSecurity_v5_8}"
                + Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("s3cret");
        for (String hash : new String[] {cost10, pbkdf2, "{noop}s3cret"}) {
            assertThat(encoder(4).matches("s3cret", hash)).as(hash).isTrue();
            assertThat(encoder(4).matches("wrong", hash)).as(hash).isFalse();
        }
    }
}
