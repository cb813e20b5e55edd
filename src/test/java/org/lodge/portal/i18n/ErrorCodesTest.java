package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every refusal code written in provisioning's, billing's and the portal's sources ({@code new
 * InvalidInputException(field, message, "code", ...)}, {@code InvalidRequestException.of(...)},
 * a value type's {@code invalid(message, "code", ...)}, a {@code new CodedRefusal(status, message,
 * "code", ...)}) has its {@code error.<code>} message in the bundle, so that no page or API answer
 * falls back to the English words; and every refusal the portal itself makes carries such a code,
 * none its English words alone (a {@code ResponseStatusException} with a reason).
 */
class ErrorCodesTest {

    private static final String PORTAL = "portal/src/main/java";
    private static final Pattern CALL = Pattern.compile(
            "(new InvalidInputException|InvalidRequestException\\.of|new CodedRefusal|\\binvalid)\\(");
    private static final Pattern LITERAL = Pattern.compile("^\"([a-z0-9.-]+)\"(\\s*\\+.*)?$", Pattern.DOTALL);

    @Test
    void everyCodeUsedHasABundleEntry() throws IOException {
        // Texts looks a code up in every bundle spring.messages.basename lists: their English files.
        Properties messages = new Properties();
        try (Stream<Path> bundles = Files.list(Path.of("portal/src/main/resources/i18n"))) {
            for (Path bundle : bundles.filter(f -> f.toString().endsWith(".properties") && !f.toString().contains("_"))
                    .toList()) {
                try (InputStream in = Files.newInputStream(bundle)) {
                    messages.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
        }
        List<String> codes = new ArrayList<>();
        for (String root : List.of("provisioning/src/main/java", "billing/src/main/java", PORTAL)) {
            for (Path file : javaFiles(root)) {
                codes.addAll(codes(Files.readString(file)));
            }
        }
        assertThat(codes).as("codes found in the sources").hasSizeGreaterThan(90);
        TreeSet<String> missing = new TreeSet<>();
        for (String code : codes) {
            if (code.endsWith("-") || code.endsWith(".")) {
                // "template.none-" + kindName: one key per kind, or "query.size." + what: some key
                List<String> wanted = code.endsWith("-") ? List.of(code + "jail", code + "vm") : List.of(code);
                for (String prefix : wanted) {
                    if (messages.stringPropertyNames().stream().noneMatch(k -> k.startsWith("error." + prefix))) {
                        missing.add(prefix);
                    }
                }
            } else if (messages.getProperty("error." + code) == null) {
                missing.add(code);
            }
        }
        assertThat(missing).as("codes without an error.<code> message").isEmpty();
    }

    @Test
    void everyRefusalOfThePortalCarriesACode() throws IOException {
        Pattern refusal = Pattern.compile("(new InvalidInputException|InvalidRequestException\\.of|new CodedRefusal"
                + "|new ResponseStatusException)\\(");
        List<Call> refusals = calls(refusal, PORTAL);
        List<String> uncoded = new ArrayList<>();
        for (Call call : refusals) {
            // A ResponseStatusException's reason is English only (a status alone says nothing):
            // a refusal with words is a CodedRefusal.
            boolean uncodedCall = call.name().equals("new ResponseStatusException") ? call.args().size() > 1
                    : call.args().size() < 3 || !LITERAL.matcher(call.args().get(2)).matches();
            if (uncodedCall) {
                uncoded.add(call.toString());
            }
        }
        assertThat(refusals).as("refusals found in the portal's sources").hasSizeGreaterThan(25);
        assertThat(uncoded).as("portal refusals without a code").isEmpty();
    }

    /**
     * No refusal is worded where it is thrown ({@code text("key")}: its API problem would have no code),
     * and no page shows a refusal's English messages ({@code e.errors()}) instead of Texts' translation.
     */
    @Test
    void noRefusalIsWordedWhereItIsThrownNorShownInEnglish() throws IOException {
        Pattern refusal = Pattern.compile("(new InvalidInputException|InvalidRequestException\\.of)\\(");
        List<String> found = new ArrayList<>(calls(refusal, "provisioning/src/main/java", "billing/src/main/java", PORTAL)
                .stream().filter(c -> c.args().size() > 1 && c.args().get(1).matches("(?s)(text|messages\\.getMessage)\\(.*"))
                .map(Call::toString).toList());
        for (Path file : javaFiles(PORTAL)) {
            if (Files.readString(file).contains(".errors()")) {
                found.add(file.getFileName() + ": shows e.errors(), the English messages");
            }
        }
        assertThat(found).as("refusals worded where thrown, or shown in English").isEmpty();
    }

    /** A call found in a source: its file, what was called and its top-level arguments. */
    private record Call(Path file, String name, List<String> args) {
        @Override
        public String toString() {
            return file.getFileName() + ": " + String.join(", ", args);
        }
    }

    private static List<Call> calls(Pattern pattern, String... roots) throws IOException {
        List<Call> calls = new ArrayList<>();
        for (String root : roots) {
            for (Path file : javaFiles(root)) {
                String source = Files.readString(file);
                Matcher call = pattern.matcher(source);
                while (call.find()) {
                    calls.add(new Call(file, call.group(1), arguments(source, call.end())));
                }
            }
        }
        return calls;
    }

    private static List<Path> javaFiles(String root) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(root))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void thePortalsOwnRefusalsAreSaidInItalian() {
        org.springframework.context.support.ResourceBundleMessageSource bundle = bundle();
        java.util.Locale it = java.util.Locale.ITALIAN;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new org.lodge.portal.tenant.TenantService(null, null, null)
                        .createTenant(" "))
                .isInstanceOfSatisfying(org.lodge.provisioning.InvalidRequestException.class, e -> assertThat(bundle
                        .getMessage("error." + e.problems().get(0).code(), e.problems().get(0).args(), it))
                        .isEqualTo("il nome di un cliente ha da 1 a 100 caratteri stampabili"));
        assertThat(bundle.getMessage("error.password.length", new Object[] {12, 128}, it))
                .isEqualTo("una password ha da 12 a 128 caratteri");
    }

    @Test
    void idnaAndBillingRefusalsCarryTheirCodes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.lodge.provisioning.DomainName.parse("-shop.example.com"))
                .isInstanceOfSatisfying(org.lodge.provisioning.InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("domain.label.hyphen"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.lodge.provisioning.DomainName.parse("www.example.notatld"))
                .isInstanceOfSatisfying(org.lodge.provisioning.InvalidInputException.class,
                        e -> assertThat(e.code()).isEqualTo("domain.tld"));
    }

    @Test
    void lookAlikeAndReservedNamesAreSaidInItalian() {
        org.springframework.context.support.ResourceBundleMessageSource bundle = bundle();
        java.util.Locale it = java.util.Locale.ITALIAN;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.lodge.provisioning.DomainName.parse("раура.com"))
                .isInstanceOfSatisfying(org.lodge.provisioning.InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("domain.lookalike.skeleton");
                    assertThat(bundle.getMessage("error." + e.code(), e.args(), it))
                            .startsWith("l’etichetta 'раура' è scritta con lettere (Cyrillic) identiche al nome latino ’paypa’");
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.lodge.provisioning.DomainName.parse("printer.local"))
                .isInstanceOfSatisfying(org.lodge.provisioning.InvalidInputException.class, e -> assertThat(
                        bundle.getMessage("error." + e.code(), e.args(), it)).isEqualTo("il dominio printer.local non può"
                        + " essere ospitato: .local è usato solo dal DNS multicast nelle reti locali (RFC 6762)"));
        // A state passed as an argument is said in the reader's language.
        assertThat(bundle.getMessage("error.unit.export-stopped", new Object[] {"vm.example.com",
                org.lodge.provisioning.UnitState.RUNNING.label()}, it)).startsWith("vm.example.com è in esecuzione: fermala");
    }

    private static org.springframework.context.support.ResourceBundleMessageSource bundle() {
        org.springframework.context.support.ResourceBundleMessageSource bundle =
                new org.springframework.context.support.ResourceBundleMessageSource();
        bundle.setBasename("i18n/messages");
        bundle.setDefaultEncoding("UTF-8");
        bundle.setFallbackToSystemLocale(false);
        return bundle;
    }

    /** The literal code argument of each refusal in a source (variables, e.g. a helper's own parameter, skipped). */
    static List<String> codes(String source) {
        List<String> codes = new ArrayList<>();
        Matcher call = CALL.matcher(source);
        while (call.find()) {
            List<String> args = arguments(source, call.end());
            int at = call.group(1).equals("invalid") ? 1 : 2;
            if (args.size() > at) {
                Matcher literal = LITERAL.matcher(args.get(at));
                if (literal.matches()) {
                    codes.add(literal.group(1));
                }
            }
        }
        return codes;
    }

    /** The top-level arguments of the call whose parenthesis opened just before {@code from}. */
    private static List<String> arguments(String source, int from) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 1;
        for (int i = from; i < source.length() && depth > 0; i++) {
            char c = source.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '"') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                current.append(source, i, Math.min(end + 1, source.length()));
                i = end;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (depth == 0 || c == ',' && depth == 1) {
                args.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        return args;
    }
}
