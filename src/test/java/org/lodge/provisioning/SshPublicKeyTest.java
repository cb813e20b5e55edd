package org.lodge.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys as customers paste them (made with ssh-keygen), and what must never reach a guest's root account. */
class SshPublicKeyTest {

    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAZsJPy2J1uN7x0ym8Wl2w1Fmb/Wh/lh6e63LXtxM0HZ me@laptop";
    static final String RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDWslVDdS9m8wiH9mfcUVN68nj/gwIEPlbYctMVEQqfv5sXcff7N0ZheWK52NrZZ7v9fSGYwKI/r4wbZkEEAS0zdxJx2aPDEecOgjpIjiH3O+raVgHWWZnzK2eAYV22lVwp6a7P+Nh44lRJ9mY32TKcn3LeJmJWCI4ZvSa2d89OJw== root@vm";
    static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDzcDLp1Rig9R+9s/sClKdmEHDj5hp+UrYF5x+dfti3CldjuFXKpTVqDcPPXzSbRRCnVQb8I1tobVIzXY4yGmXk= root@vm";
    static final String RSA_3072 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDK9ACPOhT2sc4Rt5fCVVXrQ198UNUfMzp21IBeztBfLqXi2B6a2lgNhb2gvoWOZNhC3Ey7+EAZYGmHLyGmO3R6mKYoLzE8DsUsNsYBS/dBV0H7d3rCX/8H0Xz1I5wH4K3Vdq+VReLjIgjuZQV8ivGtcYd5jOBaMLxNm61aw0+65ZkFO2A899HosoIMavkFeqxM4zjp3RjsxPLcldAv9vn2SNtDa8wFIKb+Z0UW204UIGdYp9LwEjbLMg/LGysosj6s9ZLI3So6QlYYBdFYMsk11Lc2+YIlT9thG295rt4QjSdAaPPHEkj74IdX/pAtjymokF0Z64NHVVJoqndXjwCTiS73asXKo+3DghKS4R0eRie5JnYRXHxLU2NmKVBx4sh0H+ey1mnAsoejCX390QynE4iPa+UCnAZcvIWsUeAOfw9Yoh2WqpkDA7n3w+ucZy4WirDGFxck9IuZeqL39dHhtfBNR/Kkm6HKTPufc1B4kPXP1rxupt17DlObaaGWlc0= ops@isp";

    @ParameterizedTest
    @ValueSource(strings = {ED25519, ECDSA, RSA_3072})
    void acceptsOneKeyAndKeepsItsComment(String key) {
        assertThat(SshPublicKey.parseOptional("  " + key + "\n").line()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankIsNoKey(String blank) {
        assertThat(SshPublicKey.parseOptional(blank)).isNull();
        assertThat(SshPublicKey.parseOptional(null)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not a key at all | not an OpenSSH public key",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbogus | not an OpenSSH public key",
            "ssh-ed25519 | not an OpenSSH public key",
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP | not an OpenSSH public key",
    })
    void refusesWhatIsNotAKey(String input, String message) {
        refused(input, message);
    }

    @org.junit.jupiter.api.Test
    void refusesOptionsSecondKeysWeakRsaAndControlCharacters() {
        refused("command=\"rm -rf /\" " + ED25519, "without authorized_keys options");
        refused("from=\"10.0.0.1\" " + ED25519, "without authorized_keys options");
        refused(ED25519 + "\n" + ECDSA, "one SSH public key, on one line");
        refused(RSA_1024, "this RSA key has 1024 bits");
        refused(ED25519 + " me\u0007@laptop", "control characters");
        refused("ssh-ed25519 " + "A".repeat(9000), "at most 8192 characters");
    }

    private static void refused(String input, String message) {
        assertThatThrownBy(() -> SshPublicKey.parseOptional(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("sshKey");
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
