package io.parley.chat.model;

/** How the protocol counts "characters": in code points, so one emoji is one character, as users count. */
public final class Text {

    private Text() {
    }

    /** The number of characters (code points) of a string. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
