package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every bundle in i18n/ and its Italian twin have the same keys, and no message with arguments
 * holds a plain apostrophe (MessageFormat would drop it and what follows: write ’ instead).
 */
class MessageBundlesTest {

    private static final Pattern ARGUMENT = Pattern.compile("\\{\\d+}");

    @Test
    void everyBundleHasAnItalianTwinWithTheSameKeys() throws IOException {
        Resource[] bundles = new PathMatchingResourcePatternResolver().getResources("classpath:i18n/*.properties");
        int english = 0;
        for (Resource bundle : bundles) {
            String name = bundle.getFilename();
            if (name.endsWith("_it.properties")) {
                continue;
            }
            english++;
            Properties en = load(bundle);
            Resource twin = bundle.createRelative(name.replace(".properties", "_it.properties"));
            assertThat(twin.exists()).as(name + " has an Italian twin").isTrue();
            Properties it = load(twin);
            assertThat(new TreeSet<>(it.stringPropertyNames())).as("keys of " + twin.getFilename())
                    .isEqualTo(new TreeSet<>(en.stringPropertyNames()));
            checkApostrophes(name, en);
            checkApostrophes(twin.getFilename(), it);
        }
        assertThat(english).isGreaterThanOrEqualTo(5);
        assertThat(load(new PathMatchingResourcePatternResolver().getResource("classpath:i18n/messages.properties"))
                .stringPropertyNames()).hasSizeGreaterThan(300);
    }

    /** Job pages and lists name a job's kind in words (jobkind.<KIND>); the twin check covers Italian. */
    @Test
    void everyJobKindHasItsWords() throws IOException {
        Properties messages = load(new PathMatchingResourcePatternResolver().getResource("classpath:i18n/messages.properties"));
        assertThat(java.util.Arrays.stream(org.lodge.provisioning.JobKind.values()).map(k -> "jobkind." + k.name())
                .filter(key -> messages.getProperty(key) == null)).as("job kinds without words").isEmpty();
    }

    /**
     * Every line a step can write by code has its words in both languages, and the English bundle
     * says what the code's English pattern says (the stored text and the English page agree).
     */
    @Test
    void everyJobLogCodeHasEnglishAndItalianWords() throws IOException {
        checkCodes("joblog", org.lodge.provisioning.job.JobWords.values());
        checkCodes("backup", org.lodge.provisioning.backup.BackupReason.values());
    }

    private static void checkCodes(String bundle, org.lodge.provisioning.Worded[] codes) throws IOException {
        PathMatchingResourcePatternResolver resources = new PathMatchingResourcePatternResolver();
        Properties en = load(resources.getResource("classpath:i18n/" + bundle + ".properties"));
        Properties it = load(resources.getResource("classpath:i18n/" + bundle + "_it.properties"));
        for (org.lodge.provisioning.Worded words : codes) {
            assertThat(en.getProperty(words.code())).as("English of " + words.code()).isEqualTo(words.english());
            assertThat(it.getProperty(words.code())).as("Italian of " + words.code()).isNotBlank();
        }
    }

    /** Every kind of NotFoundException.of("kind", ...) in the sources has its notfound.<kind> words. */
    @Test
    void everyNotFoundKindHasItsWords() throws IOException {
        Properties messages = load(new PathMatchingResourcePatternResolver().getResource("classpath:i18n/messages.properties"));
        Pattern kind = Pattern.compile("NotFoundException\\.of\\(\"([\\w-]+)\"");
        Set<String> kinds = new TreeSet<>();
        for (String root : java.util.List.of("portal", "provisioning", "billing")) {
            try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(root, "src/main/java"))) {
                for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    kind.matcher(java.nio.file.Files.readString(file)).results().forEach(m -> kinds.add(m.group(1)));
                }
            }
        }
        assertThat(kinds).as("kinds found in the sources").contains("unit", "job", "invoice");
        assertThat(kinds.stream().filter(k -> messages.getProperty("notfound." + k) == null)).as("kinds without words")
                .isEmpty();
    }

    private static void checkApostrophes(String file, Properties messages) {
        Set<String> bad = new TreeSet<>();
        for (String key : messages.stringPropertyNames()) {
            String text = messages.getProperty(key);
            if (ARGUMENT.matcher(text).find() && text.replace("''", "").contains("'")) {
                bad.add(key);
            }
        }
        assertThat(bad).as(file + ": messages with arguments and a lone apostrophe").isEmpty();
    }

    private static Properties load(Resource resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = resource.getInputStream()) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
