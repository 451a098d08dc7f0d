package io.parley.chat.config;

/** A configuration value is missing or invalid; the message is one line that names the environment variable. */
public final class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }
}
