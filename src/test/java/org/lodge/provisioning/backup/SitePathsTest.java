package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lodge.provisioning.InvalidRequestException;

/** The checks of chosen paths before any job exists: what is accepted, normalised, and each refusal's code. */
class SitePathsTest {

    private static final String DOMAIN = "shop.example.com";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "index.html                                 | index.html",
            "  images/logo.png                          | images/logo.png",
            "./images//logo.png                         | images/logo.png",
            "images/                                    | images",
            "/var/www/shop.example.com/blog/post.html   | blog/post.html",
            "/var/www/shop.example.com                  | .",
            ".                                          | .",
            "a/./b                                      | a/b",
            "café/menü.html                             | café/menü.html",
            "name with spaces.txt                       | name with spaces.txt",
            "..hidden                                   | ..hidden",
    })
    void acceptsAndNormalises(String given, String expected) {
        assertThat(SitePaths.check(List.of(given), DOMAIN, 20)).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "../etc/passwd                              | backupfiles.paths.dotdot",
            "images/../../../etc                        | backupfiles.paths.dotdot",
            "a/..                                       | backupfiles.paths.dotdot",
            "/var/www/shop.example.com/../other         | backupfiles.paths.dotdot",
            "/etc/passwd                                | backupfiles.paths.outside",
            "/var/www/other.example.com/index.html      | backupfiles.paths.outside",
            "/var/www/shop.example.com.evil/x           | backupfiles.paths.outside",
            "/                                          | backupfiles.paths.outside",
            "*.html                                     | backupfiles.paths.pattern",
            "img/[a-z].png                              | backupfiles.paths.pattern",
            "back\\slash                                | backupfiles.paths.pattern",
    })
    void refusesWithItsCode(String given, String code) {
        assertThat(refusal(List.of(given), 20)).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "' ,  '              | backupfiles.paths.empty",
            "a,a/b               | backupfiles.paths.overlap",
            "a/b,a               | backupfiles.paths.overlap",
            "x,x                 | backupfiles.paths.overlap",
            "x,.                 | backupfiles.paths.overlap",
    })
    void refusesSelections(String given, String code) {
        assertThat(refusal(Arrays.asList(given.split(",")), 20)).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'a,ab'", "'img/a,img/ab,img2'"})
    void namesThatOnlyShareAPrefixAreNotNested(String given) {
        assertThat(SitePaths.check(Arrays.asList(given.split(",")), DOMAIN, 20)).hasSize(given.split(",").length);
    }

    @org.junit.jupiter.api.Test
    void refusesControlCharactersNulIncluded() {
        for (String path : List.of("nul\u0000byte", "line\nbreak", "tab\there", "del\u007f", "esc\u001b[0m", "c1\u0085")) {
            assertThat(refusal(List.of(path), 20)).as(path).isEqualTo("backupfiles.paths.control");
        }
    }

    @org.junit.jupiter.api.Test
    void refusesNoneTooManyAndTooLong() {
        assertThat(refusal(null, 20)).isEqualTo("backupfiles.paths.empty");
        assertThat(refusal(List.of(), 20)).isEqualTo("backupfiles.paths.empty");
        assertThat(refusal(List.of("a", "b", "c"), 2)).isEqualTo("backupfiles.paths.too-many");
        assertThat(refusal(List.of("a".repeat(SitePaths.MAX_LENGTH + 1)), 2)).isEqualTo("backupfiles.paths.long");
        assertThat(SitePaths.check(Collections.nCopies(1, "a"), DOMAIN, 1)).containsExactly("a");
    }

    @org.junit.jupiter.api.Test
    void showsAControlCharacterEscapedInItsMessage() {
        assertThatThrownBy(() -> SitePaths.check(List.of("x\u0000y"), DOMAIN, 20))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("x\\u0000y")
                .hasMessageNotContaining("\u0000");
    }

    private static String refusal(List<String> paths, int max) {
        try {
            SitePaths.check(paths, DOMAIN, max);
            return "accepted";
        } catch (InvalidRequestException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("paths"));
            return e.problems().get(0).code();
        }
    }
}
