package org.lodge.provisioning;

import java.util.List;

/**
 * What an alert says, as judged or as stored with its episode: its {@code kind}, the English line
 * it was judged with, and that line's parameters ({@link UnitAlert}). {@link AlertLines} says it
 * in a reader's language from the kind and the parameters; an episode stored before V39 has no
 * parameters ({@code args} null) and keeps its English line.
 */
public interface AlertDetail {

    String kind();

    String message();

    List<String> args();

    /**
     * The last parameter's words by code (a failed backup's reason, {@link Phrase#code()} in the
     * backup bundle), or null: the parameter itself keeps those words in English.
     */
    Phrase reason();

    /** The reason as an episode stores it (V52: reason_code, reason_args): its English words are the last of {@code args}. */
    static Phrase storedReason(List<String> args, String code, String argsJson) {
        return Phrase.stored(code, argsJson, args == null || args.isEmpty() ? null : args.get(args.size() - 1));
    }
}
