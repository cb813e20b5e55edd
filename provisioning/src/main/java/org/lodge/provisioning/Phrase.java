package org.lodge.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * Words for people that pages render in the reader's language: a message code, its arguments,
 * and the English text, which is what is stored for staff tools, grep and readers whose bundle
 * lacks the code. Arguments are numbers, strings, or words with a code of their own (e.g. {@link
 * UnitState#label()}), so they survive a round trip through JSON. A {@code detail} (tool output,
 * an exception's text) follows the words after ": ", is never translated, and customers do not
 * read it.
 */
public record Phrase(String code, List<Object> args, String words, String detail) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Phrase {
        args = List.copyOf(args);
    }

    /** {@code pattern} is the English MessageFormat pattern of {@code code} (as in its bundle). */
    public static Phrase of(String code, String pattern, Object... args) {
        List<Object> plain = Arrays.stream(args).map(Phrase::plain).toList();
        Object[] english = plain.stream().map(a -> a instanceof MessageSourceResolvable r ? r.getDefaultMessage() : a)
                .toArray();
        // Without arguments a pattern is the text itself, as MessageSource reads it (apostrophes stay).
        String words = english.length == 0 ? pattern : new MessageFormat(pattern, Locale.ENGLISH).format(english);
        return new Phrase(code, plain, words, null);
    }

    public Phrase detail(String detail) {
        return new Phrase(code, args, words, detail);
    }

    /** The English line: the words, then the detail if any. */
    public String english() {
        return detail == null ? words : words + ": " + detail;
    }

    /** The arguments as stored: a JSON array; a coded word is {"code": ..., "text": ...}. */
    public String argsJson() {
        ArrayNode array = JSON.createArrayNode();
        for (Object arg : args) {
            if (arg instanceof MessageSourceResolvable r) {
                array.addObject().put("code", r.getCodes()[0]).put("text", r.getDefaultMessage());
            } else {
                array.addPOJO(arg);
            }
        }
        return array.toString();
    }

    /** A phrase as stored in a row (a code, its {@link #argsJson()} and its English words); null without a code. */
    public static Phrase stored(String code, String argsJson, String words) {
        return code == null ? null : new Phrase(code, argsOf(argsJson), words, null);
    }

    /** As a MessageSource argument: said from its code in the reader's language, else its English words. */
    public MessageSourceResolvable resolvable() {
        return new DefaultMessageSourceResolvable(new String[] {code}, args.toArray(), words);
    }

    /** Arguments read back from {@link #argsJson()}. */
    public static List<Object> argsOf(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            List<Object> args = new ArrayList<>();
            for (JsonNode arg : JSON.readTree(json)) {
                if (arg.isObject()) {
                    args.add(new DefaultMessageSourceResolvable(new String[] {arg.path("code").asText()},
                            arg.path("text").asText()));
                } else {
                    args.add(arg.isNumber() ? arg.numberValue() : arg.asText());
                }
            }
            return args;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable phrase arguments", e);
        }
    }

    private static Object plain(Object arg) {
        if (arg instanceof Number || arg instanceof String || arg instanceof MessageSourceResolvable) {
            return arg;
        }
        return String.valueOf(arg);
    }
}
